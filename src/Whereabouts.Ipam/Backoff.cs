namespace Whereabouts.Ipam;

/// <summary>
/// Exponential backoff with full jitter: many writers that collide on one pool spread out instead of colliding again
/// in lockstep. A store's Retry-After is honoured as a lower bound. Never waits past the deadline's cancellation.
/// </summary>
public sealed class Backoff(IpamOptions options, TimeProvider time)
{
    private int _attempt;

    public int Attempts => _attempt;

    /// <summary>
    /// The wait after <paramref name="failures"/> failed attempts: uniform in [0, min(initial x 2^failures, max)),
    /// never shorter than <paramref name="retryAfter"/>.
    /// </summary>
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, int failures, TimeSpan? retryAfter = null)
    {
        var ceiling = Math.Min(initial.Ticks << Math.Clamp(failures, 0, 20), max.Ticks);
        var delay = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * ceiling));
        return retryAfter is { } after && after > delay ? after : delay;
    }

    public async Task DelayAsync(TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var delay = Delay(options.InitialBackoff, options.MaxBackoff, _attempt, retryAfter);
        _attempt++;
        await Task.Delay(delay, time, cancellationToken);
    }
}
