using Microsoft.Extensions.Logging;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>
/// Group commit for one pool: changes that arrive while a write to the pool is in flight wait, and all of them go
/// into the next write as one JSON Patch. Each caller is answered only after the API server answered the write that
/// held its change; a refused write is re-read and only the changes that did not lose are tried again.
/// </summary>
internal sealed partial class PoolWriter
{
    /// <summary>Refused writes one change may be part of before its caller is told to re-read and decide again.</summary>
    private const int MaxAttempts = 8;

    private readonly Lock _gate = new();
    private readonly List<PendingChange> _queue = [];
    private readonly string _name;
    private readonly string _namespace;
    private readonly WhereaboutsClient _client;
    private readonly ObjectCache<PoolSnapshot> _cache;
    private readonly SharedStoreCounters _counters;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private bool _running;

    public PoolWriter(
        string name, string @namespace, WhereaboutsClient client, ObjectCache<PoolSnapshot> cache, SharedStoreCounters counters, ILogger logger,
        CancellationToken stopping)
    {
        _name = name;
        _namespace = @namespace;
        _client = client;
        _cache = cache;
        _counters = counters;
        _logger = logger;
        _stopping = stopping;
    }

    /// <summary>
    /// Writes <paramref name="change"/> with the next group commit. Cancelled while it waits, it is never sent; cancelled
    /// while its write is in flight, the write may still be applied (as any request whose answer is not awaited).
    /// </summary>
    public async Task<bool> WriteAsync(PoolSnapshot snapshot, PoolChange change, CancellationToken cancellationToken)
    {
        var pending = new PendingChange(snapshot, change, _counters);
        bool start;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _queue.Add(pending);
            start = !_running;
            _running = true;
        }

        if (start)
        {
            _ = Task.Run(RunAsync, CancellationToken.None);
        }

        try
        {
            return await pending.Answer.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                if (_queue.Remove(pending))
                {
                    pending.Cancel(cancellationToken);
                }
            }

            throw;
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            List<PendingChange> waiting;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _running = false;
                    return;
                }

                waiting = [.. _queue];
                _queue.Clear();
            }

            IReadOnlyList<PendingChange> again;
            try
            {
                again = await WriteBatchAsync(waiting);
            }
            catch (OperationCanceledException ex) when (_stopping.IsCancellationRequested)
            {
                FailAll(waiting, new ObjectDisposedException($"the store was closed while IPPool {_name} was being written", ex));
                again = [];
            }
#pragma warning disable CA1031 // Whatever went wrong goes to the callers; the loop must live on for the next changes.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                FailAll(waiting, ex);
                again = [];
            }

            if (again.Count > 0)
            {
                lock (_gate)
                {
                    _queue.InsertRange(0, again);
                }
            }
        }
    }

    /// <summary>Writes one batch and answers its changes; returns the changes that go into the next batch.</summary>
    private async Task<IReadOnlyList<PendingChange>> WriteBatchAsync(List<PendingChange> waiting)
    {
        if (_cache.Get(_name) is not { } current)
        {
            // Only a pool the cache does not know (a caller that read it elsewhere): read it first.
            current = await ReadAsync();
            if (current is null)
            {
                waiting.ForEach(static p => p.Succeed(false));
                return [];
            }
        }

        var batch = PoolBatch.Plan(current, waiting);
        if (batch.Members.Count == 0)
        {
            batch.Losers.ForEach(static p => p.Succeed(false));
            return batch.Later;
        }

        KubeResult<IPPool> result;
        try
        {
            _counters.Patch(batch.Members.Count);
            result = await _client.PatchPoolAsync(_namespace, _name, batch.BuildPatch(), _cache.Get, _stopping);
        }
        catch (StoreUnavailableException ex) when (ex.IsTransient && !_stopping.IsCancellationRequested)
        {
            await SettleUnknownAsync(batch, ex);
            return batch.Later;
        }
        catch (IpamException ex)
        {
            FailAll(batch.Members, ex);
            batch.Losers.ForEach(static p => p.Succeed(false));
            return batch.Later;
        }

        if (result.IsSuccess && result.Body is { } written)
        {
            Cache(written);
            batch.Members.ForEach(static p => p.Succeed(true));
            batch.Losers.ForEach(static p => p.Succeed(false));
            LogWritten(_logger, _name, batch.Members.Count, batch.Losers.Count);
            return batch.Later;
        }

        if (result.IsNotFound)
        {
            _cache.Remove(_name, null, null);
            batch.Members.ForEach(static p => p.Succeed(false));
            batch.Losers.ForEach(static p => p.Succeed(false));
            return batch.Later;
        }

        return await RetryRefusedAsync(batch, result);
    }

    /// <summary>The server refused the batch (a failed test, 422, or 409): the changes whose guards still hold go again.</summary>
    private async Task<IReadOnlyList<PendingChange>> RetryRefusedAsync(PoolBatch batch, KubeResult<IPPool> result)
    {
        batch.Losers.ForEach(static p => p.Succeed(false));
        PoolSnapshot? fresh;
        try
        {
            fresh = await ReadAsync();
        }
        catch (IpamException ex)
        {
            FailAll(batch.Members, ex);
            return batch.Later;
        }

        if (fresh is null)
        {
            batch.Members.ForEach(static p => p.Succeed(false));
            return batch.Later;
        }

        var again = new List<PendingChange>();

        // 409 is a write race by definition (the plain store retries it too); only a 422 on an unmoved pool can be a
        // refusal of the change itself.
        var refusedAsIs = !result.IsConflict && fresh.Version == batch.Current.Version && batch.Members.All(p => p.GuardsHold(fresh.Allocations));
        if (refusedAsIs && batch.Members.Count == 1)
        {
            // Nothing moved and the server still refused: not a conflict but a refusal of this change.
            batch.Members[0].Fail(WhereaboutsClient.RefusedPatch(_namespace, _name, batch.Current.Version, result));
        }
        else
        {
            foreach (var pending in batch.Members)
            {
                pending.Alone = refusedAsIs;
                if (pending.GuardsHold(fresh.Allocations) && ++pending.Attempts < MaxAttempts)
                {
                    again.Add(pending);
                }
                else
                {
                    pending.Succeed(false);
                }
            }
        }

        LogRefused(_logger, _name, (int)result.StatusCode, batch.Members.Count, again.Count);
        return [.. again, .. batch.Later];
    }

    /// <summary>
    /// The write's answer was lost: it may or may not have been applied. The pool is read again, and each change that
    /// shows in it is a success; the others get the transient error (their callers retry).
    /// </summary>
    private async Task SettleUnknownAsync(PoolBatch batch, StoreUnavailableException error)
    {
        batch.Losers.ForEach(static p => p.Succeed(false));
        PoolSnapshot? fresh;
        try
        {
            fresh = await ReadAsync();
        }
        catch (IpamException)
        {
            FailAll(batch.Members, error);
            return;
        }

        foreach (var pending in batch.Members)
        {
            if (fresh is not null && pending.IsVisibleIn(fresh.Allocations))
            {
                pending.Succeed(true);
            }
            else
            {
                pending.Fail(error);
            }
        }

        LogUnknown(_logger, _name, batch.Members.Count, error.Message);
    }

    /// <summary>Reads the pool from the API server into the cache; null when it is gone.</summary>
    private async Task<PoolSnapshot?> ReadAsync()
    {
        var pool = await _client.GetPoolAsync(_namespace, _name, _stopping);
        if (pool is null)
        {
            _cache.Remove(_name, null, null);
            return null;
        }

        return Cache(pool);
    }

    private PoolSnapshot Cache(IPPool pool)
    {
        var snapshot = StoreCaches.ToSnapshot(pool, _cache.Get(_name));
        return _cache.Apply(_name, snapshot) ?? snapshot;
    }

    private static void FailAll(IEnumerable<PendingChange> changes, Exception error)
    {
        foreach (var pending in changes)
        {
            pending.Fail(error);
        }
    }

    [LoggerMessage(EventId = 225, Level = LogLevel.Debug, Message = "IPPool {Name}: wrote {Count} changes in one patch ({Losers} lost to another change of the batch)")]
    private static partial void LogWritten(ILogger logger, string name, int count, int losers);

    [LoggerMessage(EventId = 226, Level = LogLevel.Debug, Message = "IPPool {Name}: the server refused a patch of {Count} changes (HTTP {Status}); {Again} are tried again")]
    private static partial void LogRefused(ILogger logger, string name, int status, int count, int again);

    [LoggerMessage(EventId = 227, Level = LogLevel.Warning, Message = "IPPool {Name}: the answer to a patch of {Count} changes was lost ({Error}); decided each change on a fresh read")]
    private static partial void LogUnknown(ILogger logger, string name, int count, string error);
}
