using Microsoft.Extensions.Logging;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Metrics;

/// <summary>Lists the IPPools every <paramref name="interval"/> and publishes how full each is.</summary>
internal sealed partial class PoolUsageRefresher(
    WhereaboutsClient client, string? @namespace, ControllerMetrics metrics, TimeSpan interval, TimeProvider time, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? lastFailure = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    var pools = await client.ListPoolsAsync(@namespace, cancellationToken);
                    metrics.SetPools(pools.Select(PoolUsage.Of).OfType<PoolUsage>());
                    lastFailure = null;
                }
                catch (IpamException ex)
                {
                    // The last values stay published; logged once per distinct failure, not every interval.
                    if (ex.Message != lastFailure)
                    {
                        LogRefreshFailed(logger, ex.Message);
                        lastFailure = ex.Message;
                    }
                }

                await Task.Delay(interval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Cannot refresh the IPPool metrics: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
