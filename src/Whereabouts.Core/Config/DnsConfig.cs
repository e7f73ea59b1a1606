namespace Whereabouts.Core.Config;

/// <summary>DNS settings copied verbatim into the CNI result.</summary>
public sealed record DnsConfig(
    IReadOnlyList<string> Nameservers,
    string? Domain,
    IReadOnlyList<string> Search,
    IReadOnlyList<string> Options)
{
    public static DnsConfig Empty { get; } = new([], null, [], []);

    public bool IsEmpty => Nameservers.Count == 0 && string.IsNullOrEmpty(Domain) && Search.Count == 0 && Options.Count == 0;
}
