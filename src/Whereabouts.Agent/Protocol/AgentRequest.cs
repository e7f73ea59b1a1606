namespace Whereabouts.Agent.Protocol;

/// <summary>
/// One CNI call, as parsed and validated by the plugin. The agent re-reads the configuration from the same bytes the
/// plugin read (the network configuration and the flat file it found), so both build the same configuration with the
/// same reader; everything taken from the environment comes already parsed.
/// </summary>
public sealed record AgentRequest
{
    /// <summary>One of <see cref="AgentVerb"/>.</summary>
    public required string Verb { get; init; }

    public string ContainerId { get; init; } = string.Empty;

    public string IfName { get; init; } = string.Empty;

    /// <summary><c>namespace/name</c> of the pod, or empty.</summary>
    public string PodRef { get; init; } = string.Empty;

    /// <summary>The network configuration from stdin, unchanged (UTF-8 JSON).</summary>
    public required string NetworkConfig { get; init; }

    /// <summary>The flat file the plugin merged, if any, with its content as read by the plugin.</summary>
    public string? FlatFilePath { get; init; }

    public string? FlatFile { get; init; }

    /// <summary>ADD: addresses asked for (runtimeConfig.ips, args.cni.ips or CNI_ARGS IP).</summary>
    public IReadOnlyList<string> RequestedIps { get; init; } = [];

    /// <summary>ADD: CNI_ARGS GATEWAY.</summary>
    public IReadOnlyList<string> Gateways { get; init; } = [];

    /// <summary>CHECK: the addresses of prevResult.</summary>
    public IReadOnlyList<string> PrevResultIps { get; init; } = [];

    /// <summary>GC: the attachments to keep.</summary>
    public IReadOnlyList<AgentAttachment> ValidAttachments { get; init; } = [];
}
