using Whereabouts.Ipam.Errors;

namespace Whereabouts.Controller.Reconcile;

/// <summary>
/// Bounded retries with exponential backoff and full jitter, so that writers that collided on one pool spread out.
/// </summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="InitialDelay">The ceiling of the first wait; it doubles per attempt.</param>
/// <param name="MaxDelay">The ceiling of any wait.</param>
internal sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    public static RetryPolicy Default { get; } = new(6, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));

    /// <summary>How long to wait before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfter(int attempt, TimeSpan? retryAfter = null)
    {
        var ceiling = Math.Min(InitialDelay.Ticks << Math.Clamp(attempt - 1, 0, 20), MaxDelay.Ticks);
        var delay = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * ceiling));
        return retryAfter is { } after && after > delay ? after : delay;
    }

    /// <summary>Runs a read or a single-object write, again after a transient failure, up to <see cref="MaxAttempts"/> times.</summary>
    /// <exception cref="StoreUnavailableException">The last attempt failed too.</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken);
            }
            catch (StoreUnavailableException ex) when (ex.IsTransient && attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(DelayAfter(attempt, ex.RetryAfter), time, cancellationToken);
            }
        }
    }
}
