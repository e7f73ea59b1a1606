using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Cli;

/// <summary>The parsed <c>reconcile</c> command line: one leak-reclamation pass.</summary>
/// <param name="Kubeconfig"><c>--kubeconfig</c>; null when not given (then <see cref="Kube.KubeconfigResolution"/> decides).</param>
/// <param name="Namespace"><c>--namespace</c>, else <c>WHEREABOUTS_NAMESPACE</c>; null when neither is set.</param>
/// <param name="DryRun"><c>--dry-run</c>: report what would be released, change nothing.</param>
/// <param name="LogLevel"><c>--log-level</c>; see <see cref="ControllerLogging"/>.</param>
public sealed record ReconcileOptions(string? Kubeconfig, string? Namespace, bool DryRun, LogLevelSetting LogLevel);
