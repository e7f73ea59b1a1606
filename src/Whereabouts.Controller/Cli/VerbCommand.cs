using System.CommandLine;

namespace Whereabouts.Controller.Cli;

/// <summary>
/// A <c>whereabouts-controller</c> subcommand: it reads its typed options from the parse result, runs, and returns an
/// exit code. An exception that escapes becomes one line on stderr and the code <see cref="ExitCodes.For"/> picks;
/// one that no code maps (a bug) is followed by its stack trace.
/// </summary>
internal abstract class VerbCommand : Command
{
    protected VerbCommand(string name, string description, CliEnvironment environment)
        : base(name, description)
    {
        Environment = environment;
        SetAction(InvokeAsync);
    }

    protected CliEnvironment Environment { get; }

    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken);

    /// <summary>The exit code and line for an exception that escaped <see cref="ExecuteAsync"/>.</summary>
    protected virtual (int Code, string Message) Describe(Exception exception, CancellationToken cancellationToken) =>
        ExitCodes.For(exception, cancellationToken);

    private async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(parseResult, cancellationToken);
        }
        catch (Exception ex)
        {
            var (code, message) = Describe(ex, cancellationToken);
            await Environment.Error.WriteLineAsync($"{CommandLine.ExecutableName} {Parents.OfType<Command>().Where(static p => p is not RootCommand).Select(static p => p.Name + " ").FirstOrDefault()}{Name}: {message}");
            if (ExitCodes.IsUnexpected(ex, cancellationToken))
            {
                // A bug: the one line alone would not say where, and a DaemonSet's crash leaves only its log behind.
                await Environment.Error.WriteLineAsync(ex.ToString());
            }

            return code;
        }
    }
}
