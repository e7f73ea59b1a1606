using Microsoft.Extensions.Logging;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Controller.Reconcile;

/// <summary>
/// Removes chosen allocations from a pool with compare-and-swap writes only: a JSON Patch that tests the pool's
/// resourceVersion and removes the chosen offsets. After a conflict (or a failure whose outcome is unknown) the pool is
/// read again and only entries still identical to the chosen ones (offset, container id, podref and ifname) are tried
/// again; an entry that changed, such as one a re-ADD gave a new container id, stays. Used by the reclamation pass and
/// by the node controller alike.
/// </summary>
internal sealed partial class PoolReleaser(WhereaboutsClient client, RetryPolicy retry, TimeProvider time, ILogger logger)
{
    /// <exception cref="StoreAccessDeniedException">The server refused the credentials or the permission to patch.</exception>
    public async Task<PoolRelease> ReleaseAsync(
        string @namespace, PoolSnapshot snapshot, IReadOnlyDictionary<UInt128, PoolAllocation> chosen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(chosen);
        var remaining = new Dictionary<UInt128, PoolAllocation>(chosen);
        var changed = new Dictionary<UInt128, PoolAllocation>();
        var vanished = new Dictionary<UInt128, PoolAllocation>();
        Sort(chosen, snapshot, remaining, changed, vanished);
        var current = snapshot;
        for (var attempt = 1; ; attempt++)
        {
            if (remaining.Count == 0)
            {
                return new PoolRelease(current, new Dictionary<UInt128, PoolAllocation>(), changed, vanished, null);
            }

            Exception? failure;
            try
            {
                if (await client.TryUpdatePoolAsync(@namespace, current, PoolChange.Remove([.. remaining.Keys.Order()]), cancellationToken))
                {
                    IpamMetrics.Releases.Add(remaining.Count);
                    return new PoolRelease(current, remaining, changed, vanished, null);
                }

                IpamMetrics.Conflicts.Add(1);
                failure = new StoreUnavailableException($"IPPool {@namespace}/{snapshot.Key.Name} kept changing during {attempt} attempts to release {remaining.Count} allocations");
                LogConflict(logger, @namespace, snapshot.Key.Name, attempt);
            }
            catch (StoreUnavailableException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                failure = ex;
                LogTransient(logger, @namespace, snapshot.Key.Name, attempt, ex.Message);
            }
            catch (StoreDataException ex)
            {
                return Failed(current, remaining, changed, vanished, ex);
            }

            if (attempt >= retry.MaxAttempts)
            {
                return Failed(current, remaining, changed, vanished, failure);
            }

            IpamMetrics.Retries.Add(1);
            await Task.Delay(retry.DelayAfter(attempt, (failure as StoreUnavailableException)?.RetryAfter), time, cancellationToken);

            // Read again even after a transient failure: the write may have been applied before its answer was lost.
            IPPool? pool;
            try
            {
                pool = await client.GetPoolAsync(@namespace, snapshot.Key.Name, cancellationToken);
            }
            catch (StoreUnavailableException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                // The next write is tested against the version already known, so it cannot go wrong; it only fails.
                LogTransient(logger, @namespace, snapshot.Key.Name, attempt, ex.Message);
                continue;
            }

            if (pool is null)
            {
                foreach (var (offset, allocation) in remaining)
                {
                    vanished[offset] = allocation;
                }

                remaining.Clear();
                continue;
            }

            try
            {
                current = CrdConversion.ToSnapshot(pool, snapshot.Key);
            }
            catch (StoreDataException ex)
            {
                return Failed(current, remaining, changed, vanished, ex);
            }

            Sort(new Dictionary<UInt128, PoolAllocation>(remaining), current, remaining, changed, vanished);
        }
    }

    /// <summary>Keeps in <paramref name="remaining"/> only the chosen entries <paramref name="pool"/> still holds unchanged.</summary>
    private static void Sort(
        IReadOnlyDictionary<UInt128, PoolAllocation> chosen,
        PoolSnapshot pool,
        Dictionary<UInt128, PoolAllocation> remaining,
        Dictionary<UInt128, PoolAllocation> changed,
        Dictionary<UInt128, PoolAllocation> vanished)
    {
        foreach (var (offset, allocation) in chosen)
        {
            if (!pool.Allocations.TryGetValue(offset, out var now))
            {
                vanished[offset] = allocation;
                remaining.Remove(offset);
            }
            else if (now != allocation)
            {
                changed[offset] = allocation;
                remaining.Remove(offset);
            }
        }
    }

    private static PoolRelease Failed(
        PoolSnapshot pool,
        Dictionary<UInt128, PoolAllocation> remaining,
        Dictionary<UInt128, PoolAllocation> changed,
        Dictionary<UInt128, PoolAllocation> vanished,
        Exception? failure) =>
        new(pool, new Dictionary<UInt128, PoolAllocation>(), changed, vanished, failure) { Left = remaining };

    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "IPPool {Namespace}/{Pool} changed before the release could be written (attempt {Attempt}); reading it again")]
    private static partial void LogConflict(ILogger logger, string @namespace, string pool, int attempt);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Releasing in IPPool {Namespace}/{Pool} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogTransient(ILogger logger, string @namespace, string pool, int attempt, string reason);
}
