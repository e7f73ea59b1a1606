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

    internal void Patch(int changes)
    {
        Interlocked.Increment(ref _poolPatches);
        Interlocked.Add(ref _changesSent, changes);
    }
}
