using k8s.Models;
using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Kube;
using Whereabouts.Controller.Metrics;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.NodeController;

/// <summary>
/// Watches the pods of one node and releases the addresses of each pod that is deleted. A list precedes every watch;
/// what was seen before (<see cref="SeenPods"/>, also across restarts) but is missing from the list was deleted while
/// nobody watched, and is released as if its DELETED event had arrived. The list and the watch are kept going by
/// <see cref="ListWatch{T}"/>.
/// </summary>
internal sealed partial class NodeController
{
    private readonly ClusterApi _cluster;
    private readonly SeenPods _seen;
    private readonly ReleaseQueue _queue;
    private readonly DeletedPodReleaser _releaser;
    private readonly HealthState _health;
    private readonly NodeControllerSettings _settings;
    private readonly string _selector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public NodeController(
        ClusterApi cluster,
        SeenPods seen,
        ReleaseQueue queue,
        DeletedPodReleaser releaser,
        HealthState health,
        NodeControllerSettings settings,
        string node,
        TimeProvider time,
        ILogger logger)
    {
        _cluster = cluster;
        _seen = seen;
        _queue = queue;
        _releaser = releaser;
        _health = health;
        _settings = settings;
        _selector = "spec.nodeName=" + node;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="OperationCanceledException">Stopped; what is still queued stays in the state file for the next start.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _seen.Load();
        await TaskGroup.RunAsync(cancellationToken, WatchAsync, WorkAsync);
    }

    private Task WatchAsync(CancellationToken cancellationToken) =>
        new ListWatch<V1Pod>(
            "the pods of this node",
            async ct =>
            {
                var list = await _cluster.ListPodsAsync(_selector, ct);
                Resync(list);
                return list.ResourceVersion;
            },
            (version, ct) => _cluster.WatchPodsAsync(_selector, version, _settings.WatchTimeout, ct),
            Handle,
            problem =>
            {
                if (problem is null)
                {
                    _health.Watching();
                }
                else
                {
                    _health.NotWatching(problem);
                }
            },
            _settings.WatchRetry,
            _time,
            _logger).RunAsync(cancellationToken);

    private void Resync(PodList list)
    {
        var present = list.Items.Select(static p => p.Metadata?.Uid).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var known in _seen.All.Where(k => !present.Contains(k.Uid)))
        {
            if (_queue.Enqueue(known))
            {
                LogMissedDeletion(_logger, known);
            }
        }

        foreach (var pod in list.Items)
        {
            if (TrackedPod.From(pod) is { } tracked)
            {
                _seen.Track(tracked);
            }
        }

        _seen.Save();
        LogResynced(_logger, list.Items.Count, _seen.All.Count, list.ResourceVersion);
    }

    private void Handle(WatchEvent<V1Pod> change)
    {
        if (change.Item is not { } pod)
        {
            return;
        }

        switch (change.Type)
        {
            case WatchEvent<V1Pod>.Added or WatchEvent<V1Pod>.Modified:
                if (TrackedPod.From(pod) is { } tracked && _seen.Track(tracked))
                {
                    _seen.Save();
                }

                return;
            case WatchEvent<V1Pod>.Deleted:
                var deleted = TrackedPod.From(pod) ?? (pod.Metadata?.Uid is { } uid ? _seen.Find(uid) : null);
                if (deleted is not null && _queue.Enqueue(deleted))
                {
                    LogDeleted(_logger, deleted);
                }

                return;
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var (pod, attempt) = await _queue.DequeueAsync(cancellationToken);
            string? failure;
            try
            {
                failure = await _releaser.ReleaseAsync(pod, cancellationToken) ? null : "a request failed";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure = ex.Message;
            }

            if (failure is not null && attempt < _settings.ReleaseRetry.MaxAttempts)
            {
                var delay = _settings.ReleaseRetry.DelayAfter(attempt);
                LogRetrying(_logger, pod, attempt, delay.TotalSeconds, failure);
                _queue.Retry(pod, attempt + 1, delay, cancellationToken);
                continue;
            }

            if (failure is not null)
            {
                LogGaveUp(_logger, pod, attempt, failure);
                await _releaser.GiveUpAsync(pod, failure, cancellationToken);
            }

            _seen.Forget(pod.Uid);
            _seen.Save();
            _queue.Done(pod);
        }
    }

    [LoggerMessage(EventId = 434, Level = LogLevel.Information, Message = "Pod {Pod} was deleted while nobody watched; releasing its addresses")]
    private static partial void LogMissedDeletion(ILogger logger, TrackedPod pod);

    [LoggerMessage(EventId = 435, Level = LogLevel.Debug, Message = "Listed {Count} pods on this node, {Tracked} with secondary networks, at version {ResourceVersion}")]
    private static partial void LogResynced(ILogger logger, int count, int tracked, string resourceVersion);

    /// <summary>The event of a pod seen deleted, whose release is queued.</summary>
    internal const int PodDeletedEventId = 436;

    [LoggerMessage(EventId = PodDeletedEventId, Level = LogLevel.Debug, Message = "Pod {Pod} was deleted; releasing its addresses")]
    private static partial void LogDeleted(ILogger logger, TrackedPod pod);

    [LoggerMessage(EventId = 437, Level = LogLevel.Warning, Message = "Releasing the addresses of pod {Pod} failed (attempt {Attempt}); retrying in {Seconds:0.#} s: {Reason}")]
    private static partial void LogRetrying(ILogger logger, TrackedPod pod, int attempt, double seconds, string reason);

    [LoggerMessage(EventId = 438, Level = LogLevel.Error, Message = "Gave up releasing the addresses of pod {Pod} after {Attempts} attempts, leaving them to the reconcile pass: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, TrackedPod pod, int attempts, string reason);
}
