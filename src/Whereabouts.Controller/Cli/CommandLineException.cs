namespace Whereabouts.Controller.Cli;

/// <summary>A failure a command reports as one line on stderr with a chosen exit code (see <see cref="ExitCodes"/>).</summary>
internal sealed class CommandLineException : Exception
{
    public CommandLineException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
