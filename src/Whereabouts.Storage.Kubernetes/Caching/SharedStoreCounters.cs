namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>What the group commit did, for benchmarks and tests.</summary>
public sealed class SharedStoreCounters
{
    private long _poolPatches;
    private long _changesSent;

    /// <summary>Pool patches sent.</summary>
    public long PoolPatches => Interlocked.Read(ref _poolPatches);

    /// <summary>Changes those patches carried (a change retried after a refused patch counts again).</summary>
    public long ChangesSent => Interlocked.Read(ref _changesSent);

    private long _conflicts;

    /// <summary>Changes answered false (their guards failed, or another change of their batch took an offset first).</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    internal void Conflict() => Interlocked.Increment(ref _conflicts);

    internal void Patch(int changes)
    {
        Interlocked.Increment(ref _poolPatches);
        Interlocked.Add(ref _changesSent, changes);
    }
}
