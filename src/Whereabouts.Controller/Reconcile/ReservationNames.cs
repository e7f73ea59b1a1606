using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Reconcile;

/// <summary>
/// Which reservation names the allocations of a pool may hold. A pool is named <c>[network_name-][node-]&lt;range&gt;</c>
/// and the reservation of one of its addresses <c>[network_name-]&lt;address&gt;</c>, both by <see cref="ObjectNames"/>.
/// The network name is recovered by trying every dash-bounded split of the pool name (and none) and keeping those that
/// write the pool name again; upstream instead turned the reservation name back into an address with
/// <c>ReplaceAll("-", ":")</c>, which fails for named networks and for addresses ending in <c>::</c>.
/// </summary>
internal static class ReservationNames
{
    /// <summary>
    /// The network names (null standing for none) under which <see cref="ObjectNames.IpPool"/> writes
    /// <paramref name="poolName"/> for <paramref name="range"/>, with or without a node; null when none does (a name
    /// shortened and hashed because it was not a valid object name, or a pool made by hand), and then no reservation
    /// can be matched to the pool by name.
    /// </summary>
    public static IReadOnlyList<string?>? NetworkNameCandidates(string poolName, Cidr range)
    {
        ArgumentNullException.ThrowIfNull(poolName);
        var masked = range.Masked;
        var dashes = new List<int>();
        for (var i = poolName.IndexOf('-', StringComparison.Ordinal); i >= 0; i = poolName.IndexOf('-', i + 1))
        {
            dashes.Add(i);
        }

        var found = new List<string?>();
        foreach (var end in dashes.Prepend(-1))
        {
            var network = end < 0 ? null : poolName[..end];
            if (Writes(poolName, masked, network, null) || dashes.Where(d => d > end + 1).Any(d => Writes(poolName, masked, network, poolName[(end + 1)..d])))
            {
                found.Add(network);
            }
        }

        return found.Count == 0 ? null : found;
    }

    /// <summary>The reservation names of <paramref name="address"/> under each network name.</summary>
    public static IEnumerable<string> For(Ip address, IReadOnlyList<string?> networkNames) =>
        networkNames.Select(n => ObjectNames.OverlappingReservation(address, n)).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// The address a reservation name stands for: the split into an optional network name and an address written as
    /// <see cref="ObjectNames.OverlappingReservation"/> writes it, trying every dash; false for a name no address writes.
    /// </summary>
    public static bool TryParseAddress(string reservationName, out Ip address) => TryParseAddress(reservationName, out address, out _);

    /// <summary>As <see cref="TryParseAddress(string, out Ip)"/>, with the network name the reservation was made under (null for none).</summary>
    public static bool TryParseAddress(string reservationName, out Ip address, out string? networkName)
    {
        ArgumentNullException.ThrowIfNull(reservationName);
        for (var start = 0; start >= 0 && start < reservationName.Length; start = NextStart(reservationName, start))
        {
            var network = start == 0 ? null : reservationName[..(start - 1)];
            var text = reservationName[start..];
            foreach (var candidate in new[] { text, text.Replace('-', ':') })
            {
                if (Ip.TryParse(candidate, out var ip) && ObjectNames.OverlappingReservation(ip, network) == reservationName)
                {
                    address = ip;
                    networkName = network;
                    return true;
                }
            }
        }

        address = default;
        networkName = null;
        return false;
    }

    private static int NextStart(string name, int start)
    {
        var dash = name.IndexOf('-', start);
        return dash < 0 ? -1 : dash + 1;
    }

    private static bool Writes(string poolName, Cidr range, string? network, string? node) =>
        string.Equals(ObjectNames.IpPool(range, network, node), poolName, StringComparison.Ordinal);
}
