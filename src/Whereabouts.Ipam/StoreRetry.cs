using Microsoft.Extensions.Logging;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Ipam;

/// <summary>
/// The one retry loop for single store operations (a read, a create, a conditional delete): transient errors are
/// retried with jittered backoff until the deadline, then reported with the last error. Every path that talks to a
/// store (the plugin, the node agent, the controller's release and reconcile passes) retries through this.
/// </summary>
public sealed class StoreRetry
{
    private readonly IpamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public StoreRetry(IpamOptions options, TimeProvider time, ILogger logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs <paramref name="operation"/>, again after each transient failure, within <see cref="IpamOptions.DelTimeout"/>.</summary>
    /// <exception cref="StoreUnavailableException">It still failed when the deadline came.</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, string what, CancellationToken cancellationToken)
    {
        using var deadline = new OperationDeadline(_options.DelTimeout, _time, cancellationToken);
        return await RunAsync(operation, what, deadline);
    }

    internal async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, string what, OperationDeadline deadline)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var backoff = new Backoff(_options, _time);
        while (true)
        {
            try
            {
                return await operation(deadline.Token);
            }
            catch (StoreUnavailableException ex) when (ex.IsTransient && !deadline.Token.IsCancellationRequested)
            {
                IpamLog.Transient(_logger, what, ex.Message);
                try
                {
                    await PauseAsync(backoff, ex.RetryAfter, deadline.Token);
                }
                catch (OperationCanceledException) when (deadline.Expired)
                {
                    throw new StoreUnavailableException($"{what}: gave up after {backoff.Attempts} retries; last error: {ex.Message}", ex);
                }
            }
        }
    }

    /// <summary>Waits before the next attempt of a loop that retries on its own (a compare-and-swap after a conflict).</summary>
    internal static async Task PauseAsync(Backoff backoff, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        IpamMetrics.Retries.Add(1);
        await backoff.DelayAsync(retryAfter, cancellationToken);
    }
}
