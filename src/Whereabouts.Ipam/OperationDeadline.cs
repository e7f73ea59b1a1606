namespace Whereabouts.Ipam;

/// <summary>
/// The time limit of one operation, joined with its caller's cancellation. Work runs on <see cref="Token"/>; when it is
/// cancelled, <see cref="CausedCancellation"/> tells a passed deadline (the store was too slow: "try again later")
/// from a caller that gave up (which is passed on as it is).
/// </summary>
internal sealed class OperationDeadline : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _caller;

    public OperationDeadline(TimeSpan limit, TimeProvider time, CancellationToken caller)
    {
        Limit = limit;
        _caller = caller;
        _timeout = new CancellationTokenSource(limit, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timeout.Token);
    }

    public TimeSpan Limit { get; }

    public CancellationToken Token => _linked.Token;

    /// <summary>True once the limit has passed.</summary>
    public bool Expired => _timeout.IsCancellationRequested;

    /// <summary>True when <paramref name="error"/> is a cancellation that this deadline caused, not the caller.</summary>
    public bool CausedCancellation(Exception error) =>
        error is OperationCanceledException && _timeout.IsCancellationRequested && !_caller.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
