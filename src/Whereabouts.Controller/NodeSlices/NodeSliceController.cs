using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Leases;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Controller.NodeSlices;

/// <summary>
/// The slice controller inside <c>whereabouts-controller run</c>: every replica competes for one Lease, and only the
/// holder runs passes (<see cref="NodeSlicePass"/>), one every <c>interval</c>, renewing the Lease before each. A
/// replica that loses the Lease stops at once and competes again; one that does not hold it retries every third of
/// the Lease duration, so a new holder takes over within about one duration after the old one stops.
/// </summary>
internal sealed partial class NodeSliceController(
    LeaseLock lease, Func<CancellationToken, Task<int>> pass, TimeSpan interval, TimeProvider time, ILogger logger)
{
    public const string LeaseName = "whereabouts-node-slices";

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
            finally
            {
                IsLeader = false;
            }

            LogLost(logger, lease);
        }
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        var renewed = time.GetTimestamp();
        while (true)
        {
            try
            {
                await pass(cancellationToken);
            }
            catch (IpamException ex)
            {
                LogPassFailed(logger, ex.Message);
            }

            await Task.Delay(interval, time, cancellationToken);
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

    [LoggerMessage(EventId = 488, Level = LogLevel.Error, Message = "Node slice pass failed; the next pass retries: {Reason}")]
    private static partial void LogPassFailed(ILogger logger, string reason);
}
