namespace Whereabouts.Ipam;

/// <summary>
/// Exponential backoff with full jitter: many writers that collide on one pool spread out instead of colliding again
/// in lockstep. A store's Retry-After is honoured as a lower bound. Never waits past the deadline's cancellation.
/// </summary>
internal sealed class Backoff(IpamOptions options, TimeProvider time)
{
    private int _attempt;

    public int Attempts => _attempt;

    public async Task DelayAsync(TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var ceiling = options.InitialBackoff.Ticks << Math.Min(_attempt, 20);
        ceiling = Math.Min(ceiling, options.MaxBackoff.Ticks);
        _attempt++;
        var delay = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * ceiling));
        if (retryAfter is { } after && after > delay)
        {
            delay = after;
        }

        await Task.Delay(delay, time, cancellationToken);
    }
}
