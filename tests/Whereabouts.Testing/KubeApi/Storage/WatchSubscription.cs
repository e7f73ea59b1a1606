using System.Threading.Channels;
using Whereabouts.Testing.KubeApi.Metadata;
using Whereabouts.Testing.KubeApi.Resources;

namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>
/// A watcher registered with the store. The store offers it every event of its resource under the
/// store lock (so the stream has no gaps and keeps commit order); the watcher filters by
/// namespace and selectors the way kube-apiserver's cacheWatcher does.
/// </summary>
internal sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchFrame> _channel;
    private readonly Action<WatchSubscription> _unsubscribe;

    public WatchSubscription(ResourceDefinition resource, string? namespaceName, LabelSelector labels, FieldSelector fields,
        int capacity, Action<WatchSubscription> unsubscribe)
    {
        Resource = resource;
        NamespaceName = namespaceName;
        Labels = labels;
        Fields = fields;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<WatchFrame>(new BoundedChannelOptions(Math.Max(capacity, 1))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ResourceDefinition Resource { get; }

    public string? NamespaceName { get; }

    public LabelSelector Labels { get; }

    public FieldSelector Fields { get; }

    public ChannelReader<WatchFrame> Reader => _channel.Reader;

    /// <summary>Set when the watcher fell too far behind and was closed, as kube-apiserver closes slow watchers.</summary>
    public bool Overflowed { get; private set; }

    public bool Matches(StoredObject? candidate) =>
        candidate is not null
        && (NamespaceName is null || candidate.Namespace == NamespaceName)
        && Labels.Matches(candidate.Labels)
        && Fields.Matches(candidate.Fields);

    /// <summary>Turns a store event into what this watcher sees, if anything (cacheWatcher.convertToWatchEvent).</summary>
    public void Offer(StoreEvent change)
    {
        var now = change.Type != StoreEventType.Deleted && Matches(change.Current);
        var before = Matches(change.Previous);
        var frame = (now, before) switch
        {
            (true, false) => new WatchFrame("ADDED", change.Current!.Json),
            (true, true) => new WatchFrame("MODIFIED", change.Current!.Json),
            (false, true) => new WatchFrame("DELETED", change.PreviousAtRevision),
            _ => null,
        };
        if (frame is not null)
        {
            Write(frame);
        }
    }

    public void Write(WatchFrame frame)
    {
        if (!_channel.Writer.TryWrite(frame))
        {
            Overflowed = true;
            _channel.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _unsubscribe(this);
    }
}
