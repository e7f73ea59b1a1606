namespace Whereabouts.Controller.Cli;

/// <summary>
/// What a command may take from the process: its environment, its output streams and the clock. Only Program.cs builds
/// this from the real process; tests hand in their own.
/// </summary>
/// <param name="GetEnvironmentVariable">Looks up an environment variable; null when unset.</param>
/// <param name="Output">Where help and version text go (stdout).</param>
/// <param name="Error">Where the one-line failure message goes (stderr). Logs go to the process's stderr.</param>
/// <param name="Time">The clock for polling loops.</param>
internal sealed record CliEnvironment(
    Func<string, string?> GetEnvironmentVariable,
    TextWriter Output,
    TextWriter Error,
    TimeProvider Time);
