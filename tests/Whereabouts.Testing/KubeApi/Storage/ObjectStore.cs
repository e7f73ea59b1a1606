using System.Globalization;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi.Json;
using Whereabouts.Testing.KubeApi.Metadata;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>
/// The etcd stand-in: every resource's objects under one lock with one global, monotonic revision
/// (etcd's revision, which kube-apiserver exposes as resourceVersion). Writes are compare-and-swap on
/// the object's revision; each write appends to its resource's bounded history, which serves
/// watches from a resourceVersion and consistent paged lists, and is offered to the watchers.
/// Only quick in-memory work happens under the lock; callers do parsing and any sleeping outside it.
/// </summary>
internal sealed class ObjectStore
{
    /// <summary>The message etcd returns for a request over --max-request-bytes.</summary>
    public const string RequestTooLargeMessage = "etcdserver: request is too large";

    private readonly Lock _gate = new();
    private readonly Dictionary<ResourceDefinition, ResourceTable> _tables;
    private readonly int _maxObjectBytes;
    private readonly int _watchBufferSize;
    private long _revision;
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ObjectStore(IEnumerable<ResourceDefinition> resources, int historyCapacity, int maxObjectBytes, int watchBufferSize)
    {
        _tables = resources.ToDictionary(r => r, _ => new ResourceTable(historyCapacity));
        _maxObjectBytes = maxObjectBytes;
        _watchBufferSize = watchBufferSize;
    }

    public long Revision => Interlocked.Read(ref _revision);

    public StoredObject? Get(ResourceDefinition resource, string key)
    {
        lock (_gate)
        {
            return _tables[resource].Objects.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Writes <paramref name="body"/> (stamping its resourceVersion). <paramref name="expectedRevision"/>
    /// is null for an unconditional write, 0 for "must not exist", otherwise the revision the stored
    /// object must still have.
    /// </summary>
    public StoredObject Put(ResourceDefinition resource, JsonObject body, long? expectedRevision)
    {
        lock (_gate)
        {
            var table = _tables[resource];
            var revision = _revision + 1;
            var stored = StoredObject.Create(resource, body, revision);
            if (stored.Json.Length > _maxObjectBytes)
            {
                throw ApiErrors.Unclassified(RequestTooLargeMessage);
            }

            var existing = table.Objects.GetValueOrDefault(stored.Key);
            switch (expectedRevision)
            {
                case 0 when existing is not null:
                    throw new StoreConflictException(StoreConflictKind.Exists);
                case > 0 when existing is null:
                    throw new StoreConflictException(StoreConflictKind.Missing);
                case > 0 when existing.Revision != expectedRevision:
                    throw new StoreConflictException(StoreConflictKind.Changed);
            }

            _revision = revision;
            table.Objects[stored.Key] = stored;
            Record(table, new StoreEvent(existing is null ? StoreEventType.Added : StoreEventType.Modified, revision, stored, existing));
            return stored;
        }
    }

    /// <summary>Deletes the object at <paramref name="key"/> and returns its last stored version.</summary>
    public StoredObject Delete(ResourceDefinition resource, string key, long? expectedRevision)
    {
        lock (_gate)
        {
            var table = _tables[resource];
            var existing = table.Objects.GetValueOrDefault(key) ?? throw new StoreConflictException(StoreConflictKind.Missing);
            if (expectedRevision is not null && existing.Revision != expectedRevision)
            {
                throw new StoreConflictException(StoreConflictKind.Changed);
            }

            DeleteLocked(table, existing);
            return existing;
        }
    }

    /// <summary>Removes every object in a namespace (what the namespace controller does before a namespace goes away).</summary>
    public int DeleteNamespaceContents(string namespaceName)
    {
        lock (_gate)
        {
            var deleted = 0;
            foreach (var (resource, table) in _tables)
            {
                if (!resource.Namespaced)
                {
                    continue;
                }

                foreach (var item in table.Objects.Values.Where(o => o.Namespace == namespaceName).ToList())
                {
                    DeleteLocked(table, item);
                    deleted++;
                }
            }

            return deleted;
        }
    }

    /// <summary>
    /// The objects (of a namespace, or all) as of <paramref name="atRevision"/> (null: now). Past
    /// states are rebuilt by undoing retained history; a revision older than it is expired.
    /// </summary>
    public StoreSnapshot List(ResourceDefinition resource, string? namespaceName, long? atRevision)
    {
        lock (_gate)
        {
            var table = _tables[resource];
            IEnumerable<StoredObject> items;
            long revision;
            if (atRevision is null || atRevision >= _revision)
            {
                items = table.Objects.Values;
                revision = _revision;
            }
            else
            {
                if (atRevision < table.CompactedRevision)
                {
                    throw new StoreExpiredException(atRevision.Value, table.CompactedRevision);
                }

                var state = new Dictionary<string, StoredObject>(table.Objects, StringComparer.Ordinal);
                foreach (var change in table.History.After(atRevision.Value).Reverse())
                {
                    if (change.Previous is null)
                    {
                        state.Remove(change.Current!.Key);
                    }
                    else
                    {
                        state[change.Previous.Key] = change.Previous;
                    }
                }

                items = state.Values.OrderBy(o => o.Key, StringComparer.Ordinal);
                revision = atRevision.Value;
            }

            return new StoreSnapshot([.. items.Where(o => namespaceName is null || o.Namespace == namespaceName)], revision);
        }
    }

    /// <summary>
    /// Registers a watcher. With <paramref name="fromRevision"/> null the watcher first gets the
    /// current state as ADDED events (what a watch without resourceVersion does); otherwise it gets
    /// every retained event after that revision, or <see cref="StoreExpiredException"/>.
    /// </summary>
    public WatchSubscription Watch(ResourceDefinition resource, string? namespaceName, LabelSelector labels, FieldSelector fields,
        long? fromRevision)
    {
        lock (_gate)
        {
            var table = _tables[resource];
            if (fromRevision is not null && fromRevision < table.CompactedRevision)
            {
                throw new StoreExpiredException(fromRevision.Value, table.CompactedRevision);
            }

            var backlog = fromRevision is null ? table.Objects.Count : table.History.Count;
            var subscription = new WatchSubscription(resource, namespaceName, labels, fields, backlog + _watchBufferSize, Unsubscribe);
            if (fromRevision is null)
            {
                foreach (var item in table.Objects.Values.Where(subscription.Matches))
                {
                    subscription.Write(new WatchFrame("ADDED", item.Json));
                }
            }
            else
            {
                foreach (var change in table.History.After(fromRevision.Value))
                {
                    subscription.Offer(change);
                }
            }

            table.Watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Queues a BOOKMARK at the current revision behind every event already queued for the watcher.</summary>
    public void Bookmark(WatchSubscription subscription, bool initialEventsEnd)
    {
        lock (_gate)
        {
            var metadata = new JsonObject { ["resourceVersion"] = _revision.ToString(CultureInfo.InvariantCulture) };
            if (initialEventsEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }

            var resource = subscription.Resource;
            var body = new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.ApiVersion, ["metadata"] = metadata };
            subscription.Write(new WatchFrame("BOOKMARK", CanonicalJson.Serialize(body)));
        }
    }

    /// <summary>Forgets all history, as an etcd compaction at the current revision does.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            foreach (var table in _tables.Values)
            {
                table.History.Clear();
                table.CompactedRevision = _revision;
            }
        }
    }

    /// <summary>Waits until the store reaches <paramref name="revision"/>; false on timeout.</summary>
    public async Task<bool> WaitForRevisionAsync(long revision, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        while (Revision < revision)
        {
            Task committed;
            lock (_gate)
            {
                committed = _committed.Task;
            }

            if (Revision >= revision)
            {
                break;
            }

            try
            {
                await committed.WaitAsync(timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return true;
    }

    private void DeleteLocked(ResourceTable table, StoredObject existing)
    {
        _revision++;
        table.Objects.Remove(existing.Key);
        Record(table, new StoreEvent(StoreEventType.Deleted, _revision, null, existing));
    }

    private void Record(ResourceTable table, StoreEvent change)
    {
        if (table.History.Add(change) is { } evicted)
        {
            table.CompactedRevision = evicted.Revision;
        }

        foreach (var watcher in table.Watchers)
        {
            watcher.Offer(change);
        }

        table.Watchers.RemoveAll(w => w.Overflowed);
        var committed = _committed;
        _committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        committed.TrySetResult();
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _tables[subscription.Resource].Watchers.Remove(subscription);
        }
    }
}
