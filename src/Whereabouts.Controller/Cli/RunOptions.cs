using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Cli;

/// <summary>The parsed <c>run</c> command line: the node controller of the DaemonSet.</summary>
/// <param name="Node"><c>--node</c>, else <c>NODENAME</c>; required.</param>
/// <param name="Namespace"><c>--namespace</c>, else <c>WHEREABOUTS_NAMESPACE</c>; null when neither is set.</param>
/// <param name="Kubeconfig"><c>--kubeconfig</c>; null means the in-cluster service account.</param>
/// <param name="MetricsPort"><c>--metrics-port</c> (1–65535) for <c>/healthz</c> and <c>/metrics</c>; 0 serves neither.</param>
/// <param name="MetricsBindAddress"><c>--metrics-bind-address</c>, else <c>NODE_IP</c>, else 127.0.0.1: the address they listen on.</param>
/// <param name="ReconcileSchedule"><c>--reconcile-schedule</c>: a 5-field cron expression (already validated), or null for none.</param>
/// <param name="CniConfDir">
/// <c>--cni-conf-dir</c> as mounted in this container; when set, keep
/// <c>&lt;dir&gt;/whereabouts.d/whereabouts.kubeconfig</c> fresh with <c>KubeconfigRefresher</c>.
/// </param>
/// <param name="HostCniConfDir"><c>--host-cni-conf-dir</c>: the same directory as the host sees it.</param>
/// <param name="ServiceAccountDir"><c>--service-account-dir</c>: token, ca.crt and namespace of this pod.</param>
/// <param name="LogLevel"><c>--log-level</c>; see <see cref="ControllerLogging"/>.</param>
/// <param name="AgentSocket"><c>--agent-socket</c>: serve the node agent on this unix socket; null: no agent.</param>
public sealed record RunOptions(
    string Node,
    string? Namespace,
    string? Kubeconfig,
    int MetricsPort,
    string MetricsBindAddress,
    string? ReconcileSchedule,
    string? CniConfDir,
    string HostCniConfDir,
    string ServiceAccountDir,
    LogLevelSetting LogLevel,
    string? AgentSocket = null);
