using System.CommandLine;

namespace Whereabouts.Controller.Cli;

/// <summary>
/// The <c>whereabouts-controller</c> command tree and its invocation: parse errors become one line and
/// <see cref="ExitCodes.Usage"/>; help and version go to <see cref="CliEnvironment.Output"/>.
/// </summary>
internal static partial class CommandLine
{
    public const string ExecutableName = "whereabouts-controller";

    public static RootCommand CreateRoot(CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var root = new RootCommand("whereabouts for .NET: node setup, node controller and reclamation of leaked addresses")
        {
            new InstallCniVerb(environment),
        };
        AddReconcile(root, environment);
        AddRun(root, environment);
        AddIpam(root, environment);
        return root;
    }

    public static Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken) =>
        InvokeAsync(CreateRoot(environment), args, environment, cancellationToken);

    /// <summary>Parses <paramref name="args"/> against <paramref name="root"/> and runs the chosen command.</summary>
    public static async Task<int> InvokeAsync(Command root, IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(environment);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var messages = string.Join("; ", parseResult.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal));
            await environment.Error.WriteLineAsync($"{ExecutableName}: {messages} (see --help)");
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(
            new InvocationConfiguration
            {
                Output = environment.Output,
                Error = environment.Error,
                // Program.cs owns SIGTERM/SIGINT and cancels the token; commands decide what a stop means.
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
            },
            cancellationToken);
    }

    // ---- Wiring for `reconcile`, `run` and `ipam` -----------------------------------------------------------------
    // ReconcileVerb, RunVerb and IpamVerb (this folder) parse and validate the flags into option records; the
    // commands themselves live in Reconcile/, NodeController/ and IpamVerbs/ and also take the environment (stdout for the pass's
    // report, the variables of an in-cluster connection, the clock).
    private static void AddReconcile(RootCommand root, CliEnvironment environment) =>
        root.Subcommands.Add(new ReconcileVerb(environment, (options, ct) => Reconcile.ReconcileCommand.RunAsync(options, environment, ct)));

    private static void AddIpam(RootCommand root, CliEnvironment environment) =>
        root.Subcommands.Add(new IpamVerb(
            environment,
            (options, ct) => IpamVerbs.IpamShowCommand.RunAsync(options, environment, ct),
            (options, ct) => IpamVerbs.IpamCheckCommand.RunAsync(options, environment, ct),
            (options, ct) => IpamVerbs.IpamReleaseCommand.RunAsync(options, environment, ct)));

    private static void AddRun(RootCommand root, CliEnvironment environment) =>
        root.Subcommands.Add(new RunVerb(environment, (options, ct) => NodeController.NodeControllerCommand.RunAsync(options, environment, ct)));
}
