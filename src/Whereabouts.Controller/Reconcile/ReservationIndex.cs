using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Controller.Reconcile;

/// <summary>
/// Which reservations the allocations of a set of pools still use: reservation name to the podrefs of the allocations
/// that map to it, per namespace. A pool whose allocations cannot be mapped to names (an unreadable range or key, a
/// name <see cref="ReservationNames"/> cannot take apart) instead protects every reservation of its podrefs.
/// </summary>
internal sealed class ReservationIndex
{
    private readonly Dictionary<(string Namespace, string Name), HashSet<string>> _users = [];
    private readonly HashSet<(string Namespace, string PodRef)> _protected = [];

    /// <param name="pools">The pools as listed after the pool writes.</param>
    /// <param name="ignore">Entries to leave out (in a dry run, those the pass would have released).</param>
    public static ReservationIndex Build(IEnumerable<IPPool> pools, Func<string, string, UInt128, PoolAllocation, bool> ignore)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(ignore);
        var index = new ReservationIndex();
        foreach (var pool in pools)
        {
            index.Add(pool, ignore);
        }

        return index;
    }

    /// <summary>True when an allocation with <paramref name="podRef"/> maps to <paramref name="name"/>.</summary>
    public bool IsUsed(string @namespace, string name, string podRef) =>
        _users.TryGetValue((@namespace, name), out var users) && users.Contains(podRef);

    /// <summary>True when an allocation of <paramref name="podRef"/> lives in a pool whose reservations cannot be named.</summary>
    public bool IsProtected(string @namespace, string podRef) => _protected.Contains((@namespace, podRef));

    private void Add(IPPool pool, Func<string, string, UInt128, PoolAllocation, bool> ignore)
    {
        var @namespace = pool.Metadata?.NamespaceProperty ?? string.Empty;
        var name = pool.Metadata?.Name ?? string.Empty;
        var allocations = pool.Spec?.Allocations ?? [];
        var networkNames = Cidr.TryParse(pool.Spec?.Range, out var range) ? ReservationNames.NetworkNameCandidates(name, range) : null;
        foreach (var (key, crd) in allocations)
        {
            var allocation = crd is null ? new PoolAllocation(string.Empty, string.Empty, string.Empty) : CrdConversion.ToAllocation(crd);
            if (networkNames is null || !CrdConversion.TryParseOffset(key, out var offset)
                || PoolPlanner.AddressOf(range.Address, offset) is not { } address)
            {
                _protected.Add((@namespace, allocation.PodRef));
                continue;
            }

            if (ignore(@namespace, name, offset, allocation))
            {
                continue;
            }

            foreach (var reservation in ReservationNames.For(address, networkNames))
            {
                if (!_users.TryGetValue((@namespace, reservation), out var users))
                {
                    users = new HashSet<string>(StringComparer.Ordinal);
                    _users[(@namespace, reservation)] = users;
                }

                users.Add(allocation.PodRef);
            }
        }
    }
}
