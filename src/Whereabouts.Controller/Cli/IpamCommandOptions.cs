using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Cli;

/// <summary>The flags every <c>ipam</c> subcommand takes.</summary>
/// <param name="Kubeconfig"><c>--kubeconfig</c>; null when not given (then <see cref="Kube.KubeconfigResolution"/> decides).</param>
/// <param name="Namespace"><c>--namespace</c> of the IPPools and reservations, else <c>WHEREABOUTS_NAMESPACE</c>; null for all namespaces.</param>
/// <param name="Json"><c>-o json</c>: machine-readable output instead of text.</param>
/// <param name="Network"><c>--network</c>: only pools of this <c>network_name</c> or NetworkAttachmentDefinition; null for all.</param>
/// <param name="LogLevel"><c>--log-level</c>; see <see cref="ControllerLogging"/>.</param>
public sealed record IpamCommandOptions(string? Kubeconfig, string? Namespace, bool Json, string? Network, LogLevelSetting LogLevel);
