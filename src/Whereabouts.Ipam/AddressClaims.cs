using Whereabouts.Core.Net;

namespace Whereabouts.Ipam;

/// <summary>
/// The addresses the ADDs in flight in this process are aiming at, per pool. A process that serves many ADDs at once
/// (the node agent) would otherwise send them all after the same lowest free address, where all but one lose the
/// reservation race and start again; with the claims they choose different addresses from the first attempt, and
/// their pool writes can go into one group commit. A claim is only a hint inside one process: the cluster-wide
/// reservation and the pool write's guards still decide.
/// </summary>
internal sealed class AddressClaims
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<Ip>> _byPool = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="address"/> in <paramref name="pool"/>; false when another ADD claimed it first.</summary>
    public bool TryClaim(string pool, Ip address)
    {
        lock (_gate)
        {
            if (!_byPool.TryGetValue(pool, out var claimed))
            {
                claimed = [];
                _byPool[pool] = claimed;
            }

            return claimed.Add(address);
        }
    }

    public void Release(string pool, Ip address)
    {
        lock (_gate)
        {
            if (_byPool.TryGetValue(pool, out var claimed) && claimed.Remove(address) && claimed.Count == 0)
            {
                _byPool.Remove(pool);
            }
        }
    }

    /// <summary>True when another ADD than the one holding <paramref name="own"/> claims an address in <paramref name="pool"/>.</summary>
    public bool AnyOther(string pool, Ip? own)
    {
        lock (_gate)
        {
            return _byPool.TryGetValue(pool, out var claimed) && claimed.Count > (own is { } held && claimed.Contains(held) ? 1 : 0);
        }
    }

    /// <summary>The addresses claimed in <paramref name="pool"/>, except <paramref name="own"/>, added to <paramref name="into"/>; how many were added.</summary>
    public int CopyOthers(string pool, Ip? own, HashSet<Ip> into)
    {
        lock (_gate)
        {
            if (!_byPool.TryGetValue(pool, out var claimed))
            {
                return 0;
            }

            var added = 0;
            foreach (var address in claimed)
            {
                if (address != own && into.Add(address))
                {
                    added++;
                }
            }

            return added;
        }
    }
}
