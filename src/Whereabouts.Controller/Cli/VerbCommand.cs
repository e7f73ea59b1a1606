using System.CommandLine;

namespace Whereabouts.Controller.Cli;

/// <summary>
/// A <c>whereabouts-controller</c> subcommand: it reads its typed options from the parse result, runs, and returns an
/// exit code. An exception that escapes becomes one line on stderr and the code <see cref="ExitCodes.For"/> picks.
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

    private async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(parseResult, cancellationToken);
        }
        catch (Exception ex)
        {
            var (code, message) = ExitCodes.For(ex, cancellationToken);
            await Environment.Error.WriteLineAsync($"{CommandLine.ExecutableName} {Name}: {message}");
            return code;
        }
    }
}
