namespace Whereabouts.Controller.Tests.InstallCni;

/// <summary>The outcome of one command line: exit code and what it wrote to stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The stderr lines; a failure must be exactly one.</summary>
    public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}
