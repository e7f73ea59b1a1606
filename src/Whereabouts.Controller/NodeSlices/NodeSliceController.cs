using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Leases;
using Whereabouts.Controller.NodeController;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Controller.NodeSlices;

/// <summary>
/// The slice controller inside <c>whereabouts-controller run</c>: every replica competes for one Lease, and only the
/// holder watches the NetworkAttachmentDefinitions, Nodes and NodeSlicePools (<see cref="NodeSliceWatches"/>) and
/// runs a pass (<see cref="NodeSlicePass"/>) whenever they change, and every <see cref="NodeSliceSettings.Resync"/>.
/// Changes that arrive while a pass runs make one more pass after it. The holder renews the Lease on its own
/// schedule and stops leading (watches and all) when it could not renew it for half the Lease duration; a replica that
/// does not hold it retries every third of the duration, so a new holder takes over within about one duration after
/// the old one stops.
/// </summary>
internal sealed partial class NodeSliceController(
    LeaseLock lease, NodeSliceWatches watches, Func<CancellationToken, Task<int>> pass, NodeSliceSettings settings, TimeProvider time, ILogger logger)
{
    public const string LeaseName = "whereabouts-node-slices";

    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(3);

    /// <summary>True while this replica holds the Lease (for tests and health).</summary>
    public bool IsLeader { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await TryAsync(ct => lease.TryAcquireAsync(time.GetUtcNow(), ct), cancellationToken))
            {
                await Task.Delay(lease.Duration / 3, time, cancellationToken);
                continue;
            }

            IsLeader = true;
            LogLeading(logger, lease);
            try
            {
                await LeadAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                IsLeader = false;
                await ReleaseAsync();
                throw;
            }
            finally
            {
                IsLeader = false;
            }

            LogLost(logger, lease);
        }
    }

    /// <summary>Leads until the Lease is lost: the watches and the passes stop with the renewal.</summary>
    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        using var lead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var requests = new PassRequests();
        try
        {
            await TaskGroup.RunAsync(
                lead.Token,
                async ct =>
                {
                    await KeepLeaseAsync(ct);
                    await lead.CancelAsync();
                },
                ct => watches.RunAsync(requests.Request, ct),
                ct => PassesAsync(requests, ct));
        }
        catch (OperationCanceledException) when (lead.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The Lease was lost; RunAsync competes for it again.
        }
    }

    /// <summary>Renews the Lease until it could not be renewed for half its duration.</summary>
    private async Task KeepLeaseAsync(CancellationToken cancellationToken)
    {
        var renewed = time.GetTimestamp();
        while (true)
        {
            await Task.Delay(settings.RenewInterval, time, cancellationToken);
            if (await TryAsync(lease.RenewAsync, cancellationToken))
            {
                renewed = time.GetTimestamp();
            }
            else if (time.GetElapsedTime(renewed) >= lease.Duration / 2)
            {
                // Not renewed for half the duration: another replica may take over soon, so this one stops first.
                return;
            }
        }
    }

    private async Task PassesAsync(PassRequests requests, CancellationToken cancellationToken)
    {
        var failures = 0;
        var seen = -1L;
        while (true)
        {
            // A failed pass is retried with backoff: the change that asked for it may not come again.
            var requested = await requests.WaitAsync(failures == 0 ? settings.Resync : settings.Retry.DelayAfter(failures), time, cancellationToken);
            var (listed, changes) = watches.Progress;
            if (!listed)
            {
                // A pass now could miss a change made before a watch starts; the last first list asks for a pass.
                continue;
            }

            if (requested && failures == 0 && changes == seen)
            {
                // Asked for by a change that the pass which last began has already read.
                continue;
            }

            seen = changes;

            if (!requested && failures == 0)
            {
                LogResync(logger, settings.Resync.TotalSeconds);
            }

            try
            {
                await pass(cancellationToken);
                failures = 0;
            }
            catch (IpamException ex)
            {
                failures++;
                LogPassFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>
    /// On a graceful stop (a rolling update, a drained node), hands the Lease over at once instead of leaving the others
    /// to wait for it to expire; best effort, for a few seconds at most, since the process is stopping.
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var limit = new CancellationTokenSource(ReleaseTimeout);
        try
        {
            if (await lease.ReleaseAsync(limit.Token))
            {
                LogReleased(logger, lease);
            }
        }
        catch (Exception ex) when (ex is IpamException or OperationCanceledException)
        {
            LogLeaseFailed(logger, lease, "not released: " + ex.Message);
        }
    }

    private async Task<bool> TryAsync(Func<CancellationToken, Task<bool>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (IpamException ex)
        {
            LogLeaseFailed(logger, lease, ex.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 485, Level = LogLevel.Information, Message = "Node slice controller active: this replica holds {Lease}")]
    private static partial void LogLeading(ILogger logger, LeaseLock lease);

    [LoggerMessage(EventId = 486, Level = LogLevel.Warning, Message = "Node slice controller paused: {Lease} is no longer held by this replica")]
    private static partial void LogLost(ILogger logger, LeaseLock lease);

    [LoggerMessage(EventId = 487, Level = LogLevel.Warning, Message = "{Lease}: {Reason}")]
    private static partial void LogLeaseFailed(ILogger logger, LeaseLock lease, string reason);

    [LoggerMessage(EventId = 488, Level = LogLevel.Error, Message = "Node slice pass failed; retrying: {Reason}")]
    private static partial void LogPassFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 490, Level = LogLevel.Information, Message = "Node slice controller stopped: {Lease} handed over")]
    private static partial void LogReleased(ILogger logger, LeaseLock lease);

    [LoggerMessage(EventId = 489, Level = LogLevel.Debug, Message = "No change reported for {Seconds} s; running a pass anyway")]
    private static partial void LogResync(ILogger logger, double seconds);
}
