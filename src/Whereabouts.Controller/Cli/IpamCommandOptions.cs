using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Cli;

/// <summary>The flags every <c>ipam</c> subcommand takes.</summary>
/// <param name="Kubeconfig"><c>--kubeconfig</c>; null when not given (then <see cref="Kube.KubeconfigResolution"/> decides).</param>
/// <param name="Namespace"><c>--namespace</c> of the IPPools and reservations, else <c>WHEREABOUTS_NAMESPACE</c>; null for all namespaces.</param>
/// <param name="Json"><c>-o json</c>: machine-readable output instead of text.</param>
/// <param name="Network"><c>--network</c>: only pools of this <c>network_name</c> or NetworkAttachmentDefinition; null for all.</param>
/// <param name="LogLevel"><c>--log-level</c>; see <see cref="ControllerLogging"/>.</param>
public sealed record IpamCommandOptions(string? Kubeconfig, string? Namespace, bool Json, string? Network, LogLevelSetting LogLevel);

/// <summary><c>ipam show</c>.</summary>
/// <param name="Common">The shared flags.</param>
/// <param name="Ips"><c>--ips</c>: list every allocation too.</param>
public sealed record IpamShowOptions(IpamCommandOptions Common, bool Ips);

/// <summary><c>ipam release</c>.</summary>
/// <param name="Common">The shared flags.</param>
/// <param name="Address"><c>--ip</c>: the address to release.</param>
/// <param name="Force"><c>--force</c>: release even when the holder is a live pod.</param>
public sealed record IpamReleaseOptions(IpamCommandOptions Common, Ip Address, bool Force);
