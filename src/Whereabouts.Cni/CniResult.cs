namespace Whereabouts.Cni;

/// <summary>
/// The abbreviated result an IPAM plugin returns from ADD (no <c>interfaces</c>), independent of spec version;
/// <see cref="CniResultWriter"/> renders it in the configuration's version. Equality compares the lists' contents.
/// </summary>
/// <param name="Ips">Addresses, in allocation order.</param>
/// <param name="Routes">Routes to install.</param>
/// <param name="Dns">DNS settings; <see cref="CniDns.Empty"/> for none.</param>
public sealed record CniResult(IReadOnlyList<CniIpConfig> Ips, IReadOnlyList<CniRoute> Routes, CniDns Dns)
{
    /// <inheritdoc />
    public bool Equals(CniResult? other) =>
        other is not null && Dns.Equals(other.Dns) && Ips.SequenceEqual(other.Ips) && Routes.SequenceEqual(other.Routes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Dns, Ips.Count, Routes.Count);
}
