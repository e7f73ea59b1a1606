using Microsoft.Extensions.Logging;

namespace Whereabouts.Controller.Cli;

/// <summary>
/// What a command may take from the process: its environment, its output streams and the clock. Only Program.cs builds
/// this from the real process; tests hand in their own.
/// </summary>
/// <param name="GetEnvironmentVariable">Looks up an environment variable; null when unset.</param>
/// <param name="Output">Where help and version text go (stdout).</param>
/// <param name="Error">Where the one-line failure message goes (stderr). Logs go to the process's stderr.</param>
/// <param name="Time">The clock for polling loops.</param>
/// <param name="Logs">
/// Receives every log message at every level besides the console (which keeps <c>--log-level</c>): tests wait on what
/// a command logged instead of sleeping. Null in the real process.
/// </param>
internal sealed record CliEnvironment(
    Func<string, string?> GetEnvironmentVariable,
    TextWriter Output,
    TextWriter Error,
    TimeProvider Time,
    ILoggerProvider? Logs = null);
