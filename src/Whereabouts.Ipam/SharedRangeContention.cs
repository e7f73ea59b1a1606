namespace Whereabouts.Ipam;

/// <summary>
/// Where this process searches a shared pool in which it lately lost races to other processes (another node's agent
/// took the address it aimed at). Only there does a <see cref="IpamOptions.SpreadKey"/> move the search away from the
/// lowest free address: a node alone on its pools keeps handing out the lowest free address, as upstream does. The
/// first loss moves the search to the point the key chooses; a loss while already spread means another node fills the
/// same stretch, and the search jumps to a random point, so two nodes do not chase each other's front.
/// </summary>
internal sealed class SharedRangeContention(string? spreadKey, TimeProvider time)
{
    /// <summary>How long one lost race keeps a pool spread; every further loss extends it.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long At, ulong Point)> _lost = new(StringComparer.Ordinal);

    public void Lost(string pool)
    {
        if (spreadKey is null)
        {
            return;
        }

        lock (_gate)
        {
            var point = CurrentPoint(pool) is null ? SpreadStart.PointOf(spreadKey) : (ulong)Random.Shared.NextInt64() ^ ((ulong)Random.Shared.Next() << 63);
            _lost[pool] = (time.GetTimestamp(), point);
        }
    }

    /// <summary>The rank to start the search of <paramref name="pool"/> at (of <paramref name="usable"/> addresses): 0 unless contended.</summary>
    public UInt128 StartOf(string pool, UInt128 usable)
    {
        lock (_gate)
        {
            return CurrentPoint(pool) is { } point ? SpreadStart.Scale(point, usable) : UInt128.Zero;
        }
    }

    private ulong? CurrentPoint(string pool)
    {
        if (!_lost.TryGetValue(pool, out var lost))
        {
            return null;
        }

        if (time.GetElapsedTime(lost.At) < Memory)
        {
            return lost.Point;
        }

        _lost.Remove(pool);
        return null;
    }
}
