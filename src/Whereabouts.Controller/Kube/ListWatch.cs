using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Kube;

/// <summary>
/// Keeps one resource watched, as client-go's reflector does: a list, then a watch from the list's resourceVersion.
/// A watch that ends or breaks is opened again from the last version seen (bookmarks included); only a version too
/// old to watch from (410 Gone) or a watch that cannot be opened calls for a new list. Failures are retried on
/// <see cref="RetryPolicy"/>, forever: the caller stops it by cancelling.
/// </summary>
/// <param name="resource">What is watched, for messages (<c>the pods of this node</c>).</param>
/// <param name="list">Lists the resource, hands what it found on, and returns the list's resourceVersion.</param>
/// <param name="watch">Opens a watch from a resourceVersion (the server ends it after a timeout of the caller's choice).</param>
/// <param name="handle">Receives each ADDED, MODIFIED and DELETED event; bookmarks only move the version on.</param>
/// <param name="status">Told null whenever the watch works (opened, or delivered an event), and what is wrong when it does not.</param>
/// <param name="retry">The pacing of attempts after failures.</param>
/// <param name="time">The clock of the pacing.</param>
/// <param name="logger">Where trouble is logged.</param>
internal sealed partial class ListWatch<T>(
    string resource,
    Func<CancellationToken, Task<string>> list,
    Func<string, CancellationToken, Task<ObjectWatch<T>>> watch,
    Action<WatchEvent<T>> handle,
    Action<string?> status,
    RetryPolicy retry,
    TimeProvider time,
    ILogger logger)
    where T : class
{
    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string resourceVersion;
            try
            {
                resourceVersion = await list(cancellationToken);
            }
            catch (IpamException ex) when (!cancellationToken.IsCancellationRequested)
            {
                status($"cannot list {resource}: {ex.Message}");
                LogListFailed(logger, resource, ex.Message);
                await Task.Delay(retry.DelayAfter(++failures), time, cancellationToken);
                continue;
            }

            failures = 0;
            await WatchFromAsync(resourceVersion, cancellationToken);
        }
    }

    /// <summary>Watches from <paramref name="resourceVersion"/> on, reconnecting as needed; returns when a new list is needed.</summary>
    private async Task WatchFromAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var open = await watch(resourceVersion, cancellationToken);
                status(null);
                failures = 0;
                while (await open.ReadAsync(cancellationToken) is { } change)
                {
                    if (change.Type == WatchEvent<T>.Error)
                    {
                        status($"the watch of {resource} failed: {change.ErrorCode} {change.ErrorMessage}");
                        LogWatchError(logger, resource, change.ErrorCode ?? 0, change.ErrorMessage ?? string.Empty);
                        if (!change.IsExpired)
                        {
                            await Task.Delay(retry.DelayAfter(1), time, cancellationToken);
                        }

                        return;
                    }

                    if (change.Type != WatchEvent<T>.Bookmark)
                    {
                        handle(change);
                    }

                    resourceVersion = change.ResourceVersion ?? resourceVersion;
                    status(null);
                }

                LogWatchEnded(logger, resource, resourceVersion);
            }
            catch (StoreUnavailableException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The connection broke: the version is still good, so the watch resumes from it.
                status(ex.Message);
                LogWatchBroke(logger, resource, ex.Message);
                await Task.Delay(retry.DelayAfter(++failures), time, cancellationToken);
            }
            catch (IpamException ex) when (!cancellationToken.IsCancellationRequested)
            {
                status($"cannot watch {resource}: {ex.Message}");
                LogWatchBroke(logger, resource, ex.Message);
                await Task.Delay(retry.DelayAfter(++failures), time, cancellationToken);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning, Message = "Cannot list {Resource}: {Reason}")]
    private static partial void LogListFailed(ILogger logger, string resource, string reason);

    /// <summary>The event of a watch whose connection broke or could not be opened.</summary>
    internal const int WatchBrokeEventId = 431;

    [LoggerMessage(EventId = WatchBrokeEventId, Level = LogLevel.Warning, Message = "The watch of {Resource} broke: {Reason}")]
    private static partial void LogWatchBroke(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 432, Level = LogLevel.Information, Message = "The watch of {Resource} answered {Code}: {Message}; listing again")]
    private static partial void LogWatchError(ILogger logger, string resource, int code, string message);

    [LoggerMessage(EventId = 433, Level = LogLevel.Debug, Message = "The server ended the watch of {Resource}; watching on from version {ResourceVersion}")]
    private static partial void LogWatchEnded(ILogger logger, string resource, string resourceVersion);
}
