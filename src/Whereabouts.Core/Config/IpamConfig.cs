using Whereabouts.Core.Net;

namespace Whereabouts.Core.Config;

/// <summary>
/// A validated, normalized whereabouts IPAM configuration: the inline <c>ipam</c> section merged with the flat file.
/// Everything after the reader works on this form only.
/// </summary>
public sealed record IpamConfig
{
    /// <summary>The CNI network name (the top-level <c>name</c>).</summary>
    public required string NetworkName { get; init; }

    /// <summary>The CNI version of the configuration ("0.1.0" when absent).</summary>
    public required string CniVersion { get; init; }

    /// <summary>Ranges in upstream's order: the legacy <c>range</c> first, then <c>ipRanges</c>.</summary>
    public required IReadOnlyList<RangeConfig> Ranges { get; init; }

    public Ip? Gateway { get; init; }

    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];

    public DnsConfig Dns { get; init; } = DnsConfig.Empty;

    public IReadOnlyList<StaticAddress> Addresses { get; init; } = [];

    /// <summary><c>network_name</c>: keeps pools and reservations of different networks apart.</summary>
    public string? PoolNetworkName { get; init; }

    public bool EnableOverlappingRanges { get; init; } = true;

    /// <summary><c>node_slice_size</c> as a prefix length; accepted, see the README for how it is treated.</summary>
    public int? NodeSlicePrefix { get; init; }

    /// <summary><c>sleep_for_race</c>: a test hook, seconds to wait before each pool write.</summary>
    public int SleepForRaceSeconds { get; init; }

    public string? LogFile { get; init; }

    public LogLevelSetting? LogLevel { get; init; }

    public string? ReconcilerCronExpression { get; init; }

    public DatastoreKind Datastore { get; init; } = DatastoreKind.Kubernetes;

    /// <summary><c>kubernetes.kubeconfig</c>.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary><c>kubernetes.k8s_api_root</c>: parsed for compatibility, unused (as upstream).</summary>
    public string? KubernetesApiRoot { get; init; }

    /// <summary><c>configuration_path</c>: the flat file searched first, and where the <c>nodename</c> file lives.</summary>
    public string? ConfigurationPath { get; init; }

    /// <summary><c>data_dir</c> of the file datastore.</summary>
    public string DataDir { get; init; } = DefaultDataDir;

    /// <summary>
    /// <c>agent_socket</c>: the node agent's unix socket. When set, the plugin asks the agent and falls back to the
    /// datastore itself (which then needs its settings, such as the kubeconfig) only when the agent does not answer.
    /// </summary>
    public string? AgentSocket { get; init; }

    /// <summary>The flat file that was merged, if any.</summary>
    public string? FlatFilePath { get; init; }

    public const string DefaultDataDir = "/var/lib/cni/whereabouts";
}
