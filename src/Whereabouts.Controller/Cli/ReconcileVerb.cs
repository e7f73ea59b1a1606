using System.CommandLine;

namespace Whereabouts.Controller.Cli;

/// <summary><c>whereabouts-controller reconcile</c>: parses its flags into <see cref="ReconcileOptions"/> and hands them to the pass.</summary>
internal sealed class ReconcileVerb : VerbCommand
{
    private readonly Func<ReconcileOptions, CancellationToken, Task<int>> _reconcile;
    private readonly Option<string?> _kubeconfig = SharedOptions.WorkstationKubeconfig();
    private readonly Option<string?> _namespace;
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Report what would be released without changing anything" };
    private readonly Option<Core.Config.LogLevelSetting> _logLevel = LogLevelOption.Create();

    public ReconcileVerb(CliEnvironment environment, Func<ReconcileOptions, CancellationToken, Task<int>> reconcile)
        : base("reconcile", "Run one pass that releases addresses and reservations of pods that no longer exist", environment)
    {
        _reconcile = reconcile;
        _namespace = SharedOptions.Namespace(environment, fallback: null);
        Options.Add(_kubeconfig);
        Options.Add(_namespace);
        Options.Add(_dryRun);
        Options.Add(_logLevel);
    }

    public ReconcileOptions Bind(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new ReconcileOptions(
            SharedOptions.NonEmpty(parseResult.GetValue(_kubeconfig)),
            parseResult.GetValue(_namespace),
            parseResult.GetValue(_dryRun),
            parseResult.GetValue(_logLevel));
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        _reconcile(Bind(parseResult), cancellationToken);
}
