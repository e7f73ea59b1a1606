using Whereabouts.Controller.Reconcile;

namespace Whereabouts.Controller.NodeSlices;

/// <summary>The slice controller's timings; the defaults are for production, tests shorten them.</summary>
internal sealed record NodeSliceSettings
{
    /// <summary>
    /// How often the Lease holder runs a pass although no watch reported a change: a safety net for a change that a
    /// watch could not show (an IPPool emptied, which frees a slice held back for live pods).
    /// </summary>
    public TimeSpan Resync { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the holder renews the Lease (client-go's leader election retries every 2 s too).</summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the server keeps one watch open before the next is opened.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Pacing of list and watch attempts, and of passes, after a failure; they never stop.</summary>
    public RetryPolicy Retry { get; init; } = new(int.MaxValue, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
}
