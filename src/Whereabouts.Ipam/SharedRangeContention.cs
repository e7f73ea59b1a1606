namespace Whereabouts.Ipam;

/// <summary>
/// Which pools this process has lately lost races in to other processes (another node's agent took the address it
/// aimed at). Only there does a <see cref="IpamOptions.SpreadKey"/> move the search away from the lowest free address:
/// a node alone on its pools keeps handing out the lowest free address, as upstream does.
/// </summary>
internal sealed class SharedRangeContention(TimeProvider time)
{
    /// <summary>How long one lost race keeps a pool spread; every further loss extends it.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _lastLost = new(StringComparer.Ordinal);

    public void Lost(string pool)
    {
        lock (_gate)
        {
            _lastLost[pool] = time.GetTimestamp();
        }
    }

    public bool IsContended(string pool)
    {
        lock (_gate)
        {
            if (!_lastLost.TryGetValue(pool, out var at))
            {
                return false;
            }

            if (time.GetElapsedTime(at) < Memory)
            {
                return true;
            }

            _lastLost.Remove(pool);
            return false;
        }
    }
}
