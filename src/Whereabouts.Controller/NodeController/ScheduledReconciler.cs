using Cronos;
using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Leases;
using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Controller.NodeController;

/// <summary>
/// <c>run --reconcile-schedule</c>: at each occurrence of the cron expression (UTC), the replica that takes the Lease
/// runs the same pass as <c>reconcile</c>; every other replica sees it held (or already taken for this occurrence) and
/// skips. The Lease is renewed during the pass and once more after it, so it is held past the end of the pass.
/// </summary>
internal sealed partial class ScheduledReconciler(
    CronExpression schedule,
    LeaseLock lease,
    Func<CancellationToken, Task<ReconcileSummary>> pass,
    ControllerMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    public const string LeaseName = "whereabouts-reconciler";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (schedule.GetNextOccurrence(now.UtcDateTime) is not { } next)
            {
                return;
            }

            var occurrence = new DateTimeOffset(next, TimeSpan.Zero);
            LogNext(logger, occurrence);
            await Task.Delay(occurrence - now, time, cancellationToken);
            await RunOnceAsync(occurrence, cancellationToken);
        }
    }

    /// <summary>Runs the pass for <paramref name="occurrence"/> if this replica takes the Lease; true when it ran.</summary>
    public async Task<bool> RunOnceAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        try
        {
            if (!await lease.TryAcquireAsync(occurrence, cancellationToken))
            {
                LogSkipped(logger, occurrence, lease);
                return false;
            }
        }
        catch (IpamException ex)
        {
            LogLeaseFailed(logger, lease, ex.Message);
            return false;
        }

        var started = time.GetTimestamp();
        string result;
        using (var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var renewal = KeepRenewingAsync(renewing.Token);
            try
            {
                var summary = await pass(cancellationToken);
                result = summary.Errors == 0 ? "success" : "partial";
                metrics.RecordCollected(ControllerMetrics.TriggerReconcile, summary.Released, summary.ReservationsReleased);
                foreach (var (reason, (found, released)) in summary.Leaks)
                {
                    metrics.RecordLeaks(reason, found, released);
                }

                LogDone(logger, summary);
            }
            catch (IpamException ex)
            {
                result = "failed";
                LogFailed(logger, ex.Message);
            }
            finally
            {
                await renewing.CancelAsync();
                await renewal;
            }
        }

        metrics.RecordReconcile(result, time.GetElapsedTime(started));
        await RenewQuietlyAsync(cancellationToken);
        return true;
    }

    private async Task KeepRenewingAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(lease.Duration / 3, time, cancellationToken);
                await RenewQuietlyAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The pass is over.
        }
    }

    private async Task RenewQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await lease.RenewAsync(cancellationToken))
            {
                // Another pass may start; both only make compare-and-swap writes, so this costs work, not safety.
                LogLost(logger, lease);
            }
        }
        catch (IpamException ex)
        {
            LogLeaseFailed(logger, lease, ex.Message);
        }
    }

    [LoggerMessage(EventId = 440, Level = LogLevel.Debug, Message = "Next reconcile pass at {Occurrence:u}")]
    private static partial void LogNext(ILogger logger, DateTimeOffset occurrence);

    [LoggerMessage(EventId = 441, Level = LogLevel.Information, Message = "Not running the reconcile pass of {Occurrence:u}: another replica holds {Lease}")]
    private static partial void LogSkipped(ILogger logger, DateTimeOffset occurrence, LeaseLock lease);

    [LoggerMessage(EventId = 442, Level = LogLevel.Warning, Message = "{Lease}: {Reason}")]
    private static partial void LogLeaseFailed(ILogger logger, LeaseLock lease, string reason);

    [LoggerMessage(EventId = 443, Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogDone(ILogger logger, ReconcileSummary summary);

    [LoggerMessage(EventId = 444, Level = LogLevel.Error, Message = "The reconcile pass could not complete: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 445, Level = LogLevel.Warning, Message = "{Lease} was taken over during the reconcile pass")]
    private static partial void LogLost(ILogger logger, LeaseLock lease);
}
