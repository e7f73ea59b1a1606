namespace Whereabouts.Cni;

/// <summary>The <c>dns</c> section of a result. Equality compares the lists' contents.</summary>
/// <param name="Nameservers">Name server addresses, in priority order.</param>
/// <param name="Domain">The local domain, or null.</param>
/// <param name="Search">Search domains, in priority order.</param>
/// <param name="Options">Resolver options.</param>
public sealed record CniDns(
    IReadOnlyList<string> Nameservers,
    string? Domain,
    IReadOnlyList<string> Search,
    IReadOnlyList<string> Options)
{
    /// <summary>No DNS information.</summary>
    public static CniDns Empty { get; } = new([], null, [], []);

    /// <summary>True when every field is empty; 1.x results then leave <c>dns</c> out.</summary>
    public bool IsEmpty =>
        Nameservers.Count == 0 && string.IsNullOrEmpty(Domain) && Search.Count == 0 && Options.Count == 0;

    /// <inheritdoc />
    public bool Equals(CniDns? other) =>
        other is not null
        && Domain == other.Domain
        && Nameservers.SequenceEqual(other.Nameservers)
        && Search.SequenceEqual(other.Search)
        && Options.SequenceEqual(other.Options);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Domain, Nameservers.Count, Search.Count, Options.Count);
}
