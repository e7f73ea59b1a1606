namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>The objects, history and watchers of one resource. Guarded by the store lock.</summary>
internal sealed class ResourceTable
{
    public ResourceTable(int historyCapacity)
    {
        History = new EventRing(historyCapacity);
    }

    public SortedDictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);

    public EventRing History { get; }

    /// <summary>Events at or below this revision are no longer retained (as after an etcd compaction).</summary>
    public long CompactedRevision { get; set; }

    public List<WatchSubscription> Watchers { get; } = [];
}
