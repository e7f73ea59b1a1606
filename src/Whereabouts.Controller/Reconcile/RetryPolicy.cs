using Whereabouts.Ipam;

namespace Whereabouts.Controller.Reconcile;

/// <summary>
/// The pacing of the controller's own attempts (watch reconnects, a deleted pod's release tried again later) on the
/// release engine's backoff curve; single store operations retry inside the engine (<see cref="StoreRetry"/>).
/// </summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="InitialDelay">The ceiling of the first wait; it doubles per attempt.</param>
/// <param name="MaxDelay">The ceiling of any wait.</param>
internal sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    public static RetryPolicy Default { get; } = new(6, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));

    /// <summary>How long to wait before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfter(int attempt, TimeSpan? retryAfter = null) => Backoff.Delay(InitialDelay, MaxDelay, attempt - 1, retryAfter);
}
