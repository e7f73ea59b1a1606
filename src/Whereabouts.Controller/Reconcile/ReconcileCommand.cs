using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Kube;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Reconcile;

/// <summary>
/// <c>whereabouts-controller reconcile</c>: one pass (what the CronJob runs). Releases, or with <c>--dry-run</c> the
/// releases it would make, go to stdout one per line, then the summary line. Exit codes: 0 when the pass completed
/// (failed writes are counted in the summary), otherwise the one <see cref="ExitCodes.For"/> picks.
/// </summary>
internal static class ReconcileCommand
{
    public static Task<int> RunAsync(ReconcileOptions options, CliEnvironment environment, CancellationToken cancellationToken) =>
        RunAsync(options, environment, new ReconcileSettings(), cancellationToken);

    internal static async Task<int> RunAsync(
        ReconcileOptions options, CliEnvironment environment, ReconcileSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        using var loggers = ControllerLogging.CreateFactory(options.LogLevel, environment.Logs);
        var logger = loggers.CreateLogger("reconcile");
        using var connection = ClusterConnection.Open(
            KubeconfigResolution.Resolve(options.Kubeconfig, environment.GetEnvironmentVariable),
            SharedOptions.DefaultServiceAccountDir,
            environment.GetEnvironmentVariable,
            ClusterConnection.DefaultRequestTimeout,
            logger);
        settings = settings with { Namespace = options.Namespace, DryRun = options.DryRun };
        var pass = new ReconcilePass(
            new WhereaboutsClient(connection, logger),
            new ClusterApi(connection),
            settings,
            environment.Time,
            logger,
            new TextReconcileReport(environment.Output, options.DryRun));
        var summary = await pass.RunAsync(cancellationToken);
        await environment.Output.WriteLineAsync(summary.ToString());
        return ExitCodes.Success;
    }
}
