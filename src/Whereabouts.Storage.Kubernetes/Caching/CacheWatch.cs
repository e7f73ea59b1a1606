using Microsoft.Extensions.Logging;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>
/// Keeps an <see cref="ObjectCache{T}"/> of one resource fresh: a list, then a watch resumed from the last
/// resourceVersion seen whenever it ends or breaks (with backoff), and a new list when the server says that version is
/// gone (410). While the watch is down the cache is not synced, so its readers ask the API server instead.
/// </summary>
/// <typeparam name="TObject">The resource's object type.</typeparam>
/// <typeparam name="T">Its cached form.</typeparam>
internal sealed partial class CacheWatch<TObject, T>
    where TObject : WhereaboutsObject
    where T : class
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly string _resource;
    private readonly Func<CancellationToken, Task<ObjectList<TObject>>> _list;
    private readonly Func<string, TimeSpan, CancellationToken, Task<ObjectWatch<TObject>>> _watch;
    private readonly Func<TObject, T?, T> _convert;
    private readonly ObjectCache<T> _cache;
    private readonly TimeSpan _watchTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="resource">The resource, for messages.</param>
    /// <param name="list">Lists every object and the list's version.</param>
    /// <param name="watch">Opens a watch from a version, ended by the server after a timeout.</param>
    /// <param name="convert">The cached form of an object, given the one cached now (throws <see cref="StoreDataException"/> when unreadable).</param>
    /// <param name="cache">The cache to keep fresh.</param>
    /// <param name="watchTimeout">How long the server keeps one watch open.</param>
    /// <param name="time">The clock for backoff.</param>
    /// <param name="logger">Where watch trouble is logged.</param>
    public CacheWatch(
        string resource,
        Func<CancellationToken, Task<ObjectList<TObject>>> list,
        Func<string, TimeSpan, CancellationToken, Task<ObjectWatch<TObject>>> watch,
        Func<TObject, T?, T> convert,
        ObjectCache<T> cache,
        TimeSpan watchTimeout,
        TimeProvider time,
        ILogger logger)
    {
        _resource = resource;
        _list = list;
        _watch = watch;
        _convert = convert;
        _cache = cache;
        _watchTimeout = watchTimeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string version;
            try
            {
                version = await ListAsync(cancellationToken);
            }
            catch (IpamException ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogListFailed(_logger, _resource, ex.Message);
                await Task.Delay(Delay(++failures), _time, cancellationToken);
                continue;
            }

            failures = 0;
            await WatchFromAsync(version, cancellationToken);
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var highestBefore = _cache.HighestVersion;
        var list = await _list(cancellationToken);
        var listed = new List<(string, T)>(list.Items.Count);
        foreach (var item in list.Items)
        {
            if (item.Metadata?.Name is { } name && TryConvert(item, _cache.Get(name)) is { } value)
            {
                listed.Add((name, value));
            }
        }

        _cache.Replace(listed, list.ResourceVersion, highestBefore);
        LogListed(_logger, _resource, list.Items.Count, list.ResourceVersion);
        return list.ResourceVersion;
    }

    /// <summary>
    /// Watches from <paramref name="version"/> on, resuming where a watch ended or broke; returns when a new list is
    /// needed: the version expired (410), or no watch could be opened from it (the server may not know it at all, as
    /// one restored from a backup, which answers a version from its future with an error).
    /// </summary>
    private async Task WatchFromAsync(string version, CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                ObjectWatch<TObject> watch;
                try
                {
                    watch = await _watch(version, _watchTimeout, cancellationToken);
                }
                catch (IpamException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    _cache.SetSynced(false);
                    LogWatchFailed(_logger, _resource, ex.Message);
                    await Task.Delay(Delay(1), _time, cancellationToken);
                    return;
                }

                using (watch)
                {
                    _cache.SetSynced(true);
                    try
                    {
                        while (await watch.ReadAsync(cancellationToken) is { } change)
                        {
                            if (change.Type == WatchEvent<TObject>.Error)
                            {
                                LogWatchError(_logger, _resource, change.ErrorCode ?? 0, change.ErrorMessage ?? string.Empty);
                                if (!change.IsExpired)
                                {
                                    await Task.Delay(Delay(1), _time, cancellationToken);
                                }

                                return;
                            }

                            Handle(change);
                            version = change.ResourceVersion ?? version;
                            failures = 0;
                        }
                    }
                    catch (IpamException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        _cache.SetSynced(false);
                        LogWatchBroke(_logger, _resource, ex.Message);
                        await Task.Delay(Delay(++failures), _time, cancellationToken);
                    }
                }
            }
        }
        finally
        {
            _cache.SetSynced(false);
        }
    }

    private void Handle(WatchEvent<TObject> change)
    {
        if (change.Item?.Metadata?.Name is not { } name)
        {
            return;
        }

        switch (change.Type)
        {
            case WatchEvent<TObject>.Added or WatchEvent<TObject>.Modified:
                if (TryConvert(change.Item, _cache.Get(name)) is { } value)
                {
                    _cache.Apply(name, value);
                }
                else
                {
                    // Unreadable now: readers go to the API server and get its error there.
                    _cache.Remove(name, null, null);
                }

                return;
            case WatchEvent<TObject>.Deleted:
                _cache.Remove(name, change.Item.Metadata.Uid, change.ResourceVersion);
                return;
        }
    }

    private T? TryConvert(TObject item, T? known)
    {
        try
        {
            return _convert(item, known);
        }
        catch (StoreDataException ex)
        {
            LogUnreadable(_logger, _resource, ex.Message);
            return null;
        }
    }

    private static TimeSpan Delay(int failures) =>
        TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(failures - 1, 16)));

    [LoggerMessage(EventId = 220, Level = LogLevel.Debug, Message = "cache of {Resource}: listed {Count} objects at version {Version}")]
    private static partial void LogListed(ILogger logger, string resource, int count, string version);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "cache of {Resource}: cannot list, retrying: {Error}")]
    private static partial void LogListFailed(ILogger logger, string resource, string error);

    [LoggerMessage(EventId = 222, Level = LogLevel.Warning, Message = "cache of {Resource}: the watch broke, reconnecting: {Error}")]
    private static partial void LogWatchBroke(ILogger logger, string resource, string error);

    [LoggerMessage(EventId = 228, Level = LogLevel.Warning, Message = "cache of {Resource}: cannot watch, listing again: {Error}")]
    private static partial void LogWatchFailed(ILogger logger, string resource, string error);

    [LoggerMessage(EventId = 223, Level = LogLevel.Information, Message = "cache of {Resource}: the watch ended with {Code} {Message}; listing again")]
    private static partial void LogWatchError(ILogger logger, string resource, int code, string message);

    [LoggerMessage(EventId = 224, Level = LogLevel.Warning, Message = "cache of {Resource}: skipping an unreadable object: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string resource, string error);
}
