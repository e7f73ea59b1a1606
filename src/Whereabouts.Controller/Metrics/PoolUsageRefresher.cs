using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Inventory;
using Whereabouts.Controller.Kube;
using Whereabouts.Controller.Leases;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Metrics;

/// <summary>
/// Publishes how full each IPPool is, from the replica that holds the pool-metrics Lease only: every
/// <paramref name="interval"/> it takes or renews the Lease, and while it holds it lists the pools and the
/// NetworkAttachmentDefinitions (for the windows, see <see cref="PoolUsage"/>). Every other replica only reads the
/// Lease and publishes no pool series, so a cluster lists its pools once per interval instead of once per node.
/// </summary>
internal sealed partial class PoolUsageRefresher(
    WhereaboutsClient client,
    ClusterApi cluster,
    string? @namespace,
    LeaseLock lease,
    ControllerMetrics metrics,
    TimeSpan interval,
    TimeProvider time,
    ILogger logger)
{
    public const string LeaseName = "whereabouts-pool-metrics";

    private string? _lastFailure;

    /// <summary>True while this replica holds the Lease and publishes the pool series.</summary>
    public bool Publishing { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await RefreshOnceAsync(cancellationToken);
                await Task.Delay(interval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One round: keep or take the Lease, and publish (or withdraw) the pool series.</summary>
    public async Task RefreshOnceAsync(CancellationToken cancellationToken)
    {
        bool holds;
        try
        {
            holds = (Publishing && await lease.RenewAsync(cancellationToken)) || await lease.TryAcquireAsync(time.GetUtcNow(), cancellationToken);
        }
        catch (IpamException ex)
        {
            LogLeaseFailed(logger, lease, ex.Message);
            holds = false;
        }

        if (!holds)
        {
            if (Publishing)
            {
                // Another replica publishes now; two replicas with diverging values would make a sum wrong.
                metrics.SetPools([]);
                Publishing = false;
                LogStopped(logger, lease);
            }

            return;
        }

        if (!Publishing)
        {
            LogStarted(logger, lease);
            Publishing = true;
        }

        try
        {
            var pools = await client.ListPoolsAsync(@namespace, cancellationToken);
            var networks = NetworkDirectory.From(await cluster.ListNetworkConfigsAsync(cancellationToken));
            var problems = new List<string>(networks.Problems);
            metrics.SetPools(ClusterInventory.PoolsOf(pools, networks, problems));
            foreach (var problem in problems)
            {
                LogUnreadable(logger, problem);
            }

            _lastFailure = null;
        }
        catch (IpamException ex)
        {
            // The last values stay published; logged once per distinct failure, not every interval.
            if (ex.Message != _lastFailure)
            {
                LogRefreshFailed(logger, ex.Message);
                _lastFailure = ex.Message;
            }
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Cannot refresh the IPPool metrics: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 511, Level = LogLevel.Information, Message = "Holding {Lease}: this replica publishes the IPPool metrics")]
    private static partial void LogStarted(ILogger logger, LeaseLock lease);

    [LoggerMessage(EventId = 512, Level = LogLevel.Information, Message = "Lost {Lease}: another replica publishes the IPPool metrics")]
    private static partial void LogStopped(ILogger logger, LeaseLock lease);

    [LoggerMessage(EventId = 513, Level = LogLevel.Warning, Message = "{Lease}: {Reason}")]
    private static partial void LogLeaseFailed(ILogger logger, LeaseLock lease, string reason);

    [LoggerMessage(EventId = 514, Level = LogLevel.Debug, Message = "IPPool metrics: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string problem);
}
