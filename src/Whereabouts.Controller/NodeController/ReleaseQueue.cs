using System.Threading.Channels;

namespace Whereabouts.Controller.NodeController;

/// <summary>
/// Deleted pods waiting for their addresses to be released, one entry per pod uid however often it is reported (by
/// its DELETED event and again by a relist). The watch only enqueues, so it never waits for the API calls of a
/// release; an entry that failed comes back after its backoff without holding up the others.
/// </summary>
internal sealed class ReleaseQueue
{
    private readonly Channel<Entry> _ready = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public ReleaseQueue(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Raised with the number of pods waiting whenever it changes.</summary>
    public event Action<int>? LengthChanged;

    public int Length
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="pod"/> unless it is already waiting; true when queued now.</summary>
    public bool Enqueue(TrackedPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        int length;
        lock (_gate)
        {
            if (!_queued.Add(pod.Uid))
            {
                return false;
            }

            length = _queued.Count;
        }

        _ready.Writer.TryWrite(new Entry(pod, 1));
        LengthChanged?.Invoke(length);
        return true;
    }

    /// <summary>The next pod to release and which attempt this is (from 1).</summary>
    public async Task<(TrackedPod Pod, int Attempt)> DequeueAsync(CancellationToken cancellationToken)
    {
        var entry = await _ready.Reader.ReadAsync(cancellationToken);
        return (entry.Pod, entry.Attempt);
    }

    /// <summary>Brings <paramref name="pod"/> back after <paramref name="delay"/> for attempt <paramref name="attempt"/>.</summary>
    public void Retry(TrackedPod pod, int attempt, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        _ = Task.Delay(delay, _time, cancellationToken).ContinueWith(
            _ => _ready.Writer.TryWrite(new Entry(pod, attempt)),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
    }

    /// <summary>The pod is done with (released, or given up on): a later report queues it again.</summary>
    public void Done(TrackedPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        int length;
        lock (_gate)
        {
            _queued.Remove(pod.Uid);
            length = _queued.Count;
        }

        LengthChanged?.Invoke(length);
    }

    private sealed record Entry(TrackedPod Pod, int Attempt);
}
