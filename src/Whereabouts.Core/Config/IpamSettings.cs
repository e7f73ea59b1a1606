namespace Whereabouts.Core.Config;

/// <summary>
/// The raw, type-checked settings of one source (the inline <c>ipam</c> section or the flat file) before merging.
/// A null member means "not set", which is what lets the flat file fill it.
/// </summary>
internal sealed class IpamSettings
{
    public string? Type { get; set; }

    public string? Range { get; set; }

    public string? RangeStart { get; set; }

    public string? RangeEnd { get; set; }

    public List<string>? Exclude { get; set; }

    public List<RawRange>? IpRanges { get; set; }

    public string? Gateway { get; set; }

    public List<RawRoute>? Routes { get; set; }

    public RawDns? Dns { get; set; }

    public List<RawAddress>? Addresses { get; set; }

    public string? NetworkName { get; set; }

    public bool? EnableOverlappingRanges { get; set; }

    public string? NodeSliceSize { get; set; }

    public int? SleepForRace { get; set; }

    public string? LogFile { get; set; }

    public string? LogLevel { get; set; }

    public string? ReconcilerCronExpression { get; set; }

    public string? Kubeconfig { get; set; }

    public string? K8sApiRoot { get; set; }

    public string? ConfigurationPath { get; set; }

    public string? Datastore { get; set; }

    public string? DataDir { get; set; }

    public string? AgentSocket { get; set; }

    /// <summary>The key prefix issues from this source carry: empty inline, <c>&lt;path&gt;:</c> for a flat file.</summary>
    public string Origin { get; init; } = string.Empty;

    internal sealed record RawRange(string Key, string? Range, string? RangeStart, string? RangeEnd, List<string>? Exclude);

    internal sealed record RawRoute(string Key, string? Dst, string? Gw, int? Mtu, int? Advmss, int? Priority, int? Table, int? Scope);

    internal sealed record RawDns(List<string>? Nameservers, string? Domain, List<string>? Search, List<string>? Options);

    internal sealed record RawAddress(string Key, string? Address, string? Gateway);
}
