namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>One change in the store's history: the object after (null for a delete) and before (null for an add).</summary>
internal sealed class StoreEvent
{
    private byte[]? _previousAtRevision;

    public StoreEvent(StoreEventType type, long revision, StoredObject? current, StoredObject? previous)
    {
        Type = type;
        Revision = revision;
        Current = current;
        Previous = previous;
    }

    public StoreEventType Type { get; }

    public long Revision { get; }

    public StoredObject? Current { get; }

    public StoredObject? Previous { get; }

    /// <summary>
    /// The previous content stamped with this event's revision: what a DELETED event carries,
    /// both for real deletes and when a change moves an object out of a watcher's selector.
    /// </summary>
    public byte[] PreviousAtRevision => _previousAtRevision ??= Previous!.JsonAtRevision(Revision);
}
