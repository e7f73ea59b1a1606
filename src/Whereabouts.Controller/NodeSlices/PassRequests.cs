using System.Threading.Channels;

namespace Whereabouts.Controller.NodeSlices;

/// <summary>
/// Requests for a slice pass, coalesced: however many arrive before the pass loop takes them, and however many arrive
/// while a pass runs, they make one pass. A pass reads everything afresh, so one is enough for all of them.
/// </summary>
internal sealed class PassRequests
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Request() => _pending.Writer.TryWrite(true);

    /// <summary>Waits at most <paramref name="timeout"/> for a request and takes it; false when the time ran out first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _pending.Reader.ReadAsync(either.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
