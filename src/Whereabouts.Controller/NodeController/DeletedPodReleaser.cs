using System.Globalization;
using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Controller.NodeController;

/// <summary>
/// Releases the addresses of one deleted pod on each of its whereabouts networks: the pools are those the plugin used
/// (<see cref="PoolKey.ForRange"/> of each range, its node slice and <c>network_name</c>), the allocations those whose podref is the pod, and
/// only after a GET shows that no live pod of that name exists now (a StatefulSet re-creates its pods under the same
/// name, and the new pod's ADD re-uses the address). Then the reservations of the released addresses that the pod
/// owns go, each delete conditional on the version read. Every write goes through the one release engine
/// (<see cref="IpamService.ReleaseEntriesAsync"/>).
/// </summary>
internal sealed partial class DeletedPodReleaser
{
    public const string Trigger = "pod-deleted";

    private readonly WhereaboutsClient _client;
    private readonly NetworkConfigResolver _networks;
    private readonly IpamService _engine;
    private readonly PodEvents _events;
    private readonly ControllerMetrics _metrics;
    private readonly string _namespace;
    private readonly ILogger _logger;

    public DeletedPodReleaser(
        WhereaboutsClient client,
        NetworkConfigResolver networks,
        PodEvents events,
        ControllerMetrics metrics,
        string poolNamespace,
        IpamOptions release,
        TimeProvider time,
        ILogger logger)
    {
        _client = client;
        _networks = networks;
        _events = events;
        _metrics = metrics;
        _namespace = poolNamespace;
        _logger = logger;
        _engine = new IpamService(KubernetesIpamStore.Attach(client, poolNamespace), logger, release, time);
    }

    /// <summary>Releases what the pod held; false when a transient failure left something to try again later.</summary>
    /// <exception cref="StoreUnavailableException">The API server failed before anything could be decided.</exception>
    /// <exception cref="StoreAccessDeniedException">The server refused the credentials or a permission.</exception>
    public async Task<bool> ReleaseAsync(TrackedPod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var problems = new List<string>();
        var configs = new List<(NetworkRef Network, IpamConfig Config)>();
        foreach (var network in pod.Networks)
        {
            var resolved = await _networks.ResolveAsync(network, cancellationToken);
            if (resolved.Problem is { } problem)
            {
                problems.Add(problem);
            }
            else if (resolved.Config is { } config)
            {
                configs.Add((network, config));
            }
        }

        if (configs.Count > 0 && await LiveIncarnationAsync(pod, cancellationToken) is { } live)
        {
            LogRecreated(_logger, pod, live);
            configs.Clear();
        }

        var released = new List<Released>();
        var transient = false;
        foreach (var (network, unsliced) in configs)
        {
            // The pods of this node hold their node-slice addresses in this node's slice pool.
            IpamConfig config;
            try
            {
                config = await _engine.WithNodeSliceAsync(unsliced, cancellationToken);
            }
            catch (IpamException ex)
            {
                problems.Add(ex.Message);
                transient |= ex is StoreUnavailableException;
                continue;
            }

            foreach (var range in config.Ranges)
            {
                var outcome = await ReleaseInPoolAsync(pod, network, config, PoolKey.ForRange(range, config.PoolNetworkName), released, problems, cancellationToken);
                if (outcome is { } failure)
                {
                    problems.Add(failure.Message);
                    transient |= failure is StoreUnavailableException;
                }
            }
        }

        if (released.Count > 0)
        {
            _metrics.RecordCollected(Trigger, released.Count, released.Sum(static r => r.Reservations));
            await _events.NormalAsync(pod, Describe(released), cancellationToken);
        }

        if (problems.Count > 0 && !transient)
        {
            _metrics.RecordCollectionFailure(Trigger);
            LogProblems(_logger, pod, problems.Count, problems[^1]);
            await _events.WarningAsync(pod, $"addresses of pod {pod.PodRef} not released (left to the reconcile pass): {string.Join("; ", problems)}", cancellationToken);
        }

        return !transient;
    }

    /// <summary>Reports a failure the pod should be told about, after the last attempt.</summary>
    public async Task GiveUpAsync(TrackedPod pod, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        _metrics.RecordCollectionFailure(Trigger);
        await _events.WarningAsync(pod, $"addresses of pod {pod.PodRef} not released (left to the reconcile pass): {reason}", cancellationToken);
    }

    private async Task<string?> LiveIncarnationAsync(TrackedPod pod, CancellationToken cancellationToken)
    {
        var current = await _client.GetPodAsync(pod.Namespace, pod.Name, cancellationToken);
        return current is not null && PodFacts.From(current).HoldsAddresses ? current.Metadata?.Uid ?? "?" : null;
    }

    private async Task<bool> NoLiveIncarnationAsync(TrackedPod pod, CancellationToken cancellationToken) =>
        await LiveIncarnationAsync(pod, cancellationToken) is null;

    private async Task<Exception?> ReleaseInPoolAsync(
        TrackedPod pod, NetworkRef network, IpamConfig config, PoolKey key, List<Released> released, List<string> problems, CancellationToken cancellationToken)
    {
        var pool = await _client.GetPoolAsync(_namespace, key.Name, cancellationToken);
        if (pool is null)
        {
            return null;
        }

        PoolSnapshot snapshot;
        try
        {
            snapshot = CrdConversion.ToSnapshot(pool, key);
        }
        catch (StoreDataException ex)
        {
            return ex;
        }

        var chosen = snapshot.Allocations.Where(a => a.Value.PodRef == pod.PodRef).ToDictionary(static a => a.Key, static a => a.Value);
        if (chosen.Count == 0)
        {
            return null;
        }

        // Asked again once the pool is written, before its reservations go: a new incarnation that appeared meanwhile may
        // have taken them back. One GET per pool, not one per released entry.
        var overlapping = config.EnableOverlappingRanges ? new[] { config.PoolNetworkName } : [];
        Task<bool>? mayGo = null;
        var outcome = await _engine.ReleaseEntriesAsync(
            key, chosen, overlapping, (_, ct) => mayGo ??= NoLiveIncarnationAsync(pod, ct), cancellationToken);
        _metrics.RecordLeaks(LeakReason.PodDeleted, chosen.Count, outcome.Released.Count);
        var reservations = outcome.ReservationsReleased.ToHashSet(StringComparer.Ordinal);
        foreach (var entry in outcome.Released)
        {
            var owned = reservations.Contains(ObjectNames.OverlappingReservation(entry.Address, config.PoolNetworkName)) ? 1 : 0;
            released.Add(new Released(network, config, key.Name, entry.Address, entry.Allocation, owned));
            LogReleased(_logger, entry.Address, pod, entry.Allocation.IfName, entry.Allocation.ContainerId, _namespace, key.Name);
        }

        foreach (var (_, allocation) in outcome.Changed)
        {
            LogChanged(_logger, pod, allocation.IfName, _namespace, key.Name);
        }

        // Not retried here: the pool entries are gone, so a later attempt would find nothing; the reconcile pass frees
        // reservations of pods that are gone.
        problems.AddRange(outcome.ReservationFailures.Select(f => $"IPPool {_namespace}/{key.Name}: {f}"));
        return outcome.Failure;
    }

    private string Describe(List<Released> released) =>
        "released " + string.Join(", ", released.Select(r => string.Create(
            CultureInfo.InvariantCulture,
            $"{r.Address} (interface {(r.Allocation.IfName.Length == 0 ? "-" : r.Allocation.IfName)}) from network {r.Network}, IPPool {_namespace}/{r.Pool}")));

    private sealed record Released(NetworkRef Network, IpamConfig Config, string Pool, Ip Address, PoolAllocation Allocation, int Reservations);

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Released {Address} of deleted pod {Pod} interface {IfName} (container {ContainerId}) from IPPool {Namespace}/{Pool}")]
    private static partial void LogReleased(ILogger logger, Ip address, TrackedPod pod, string ifName, string containerId, string @namespace, string pool);

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "Keeping the addresses of deleted pod {Pod}: a pod of that name exists again (uid {Uid})")]
    private static partial void LogRecreated(ILogger logger, TrackedPod pod, string uid);

    [LoggerMessage(EventId = 422, Level = LogLevel.Information, Message = "Keeping the allocation of {Pod} interface {IfName} in IPPool {Namespace}/{Pool}: it changed before it could be released (a new incarnation re-used it)")]
    private static partial void LogChanged(ILogger logger, TrackedPod pod, string ifName, string @namespace, string pool);

    [LoggerMessage(EventId = 423, Level = LogLevel.Warning, Message = "Addresses of deleted pod {Pod} not released ({Count} problems, the last: {Problem})")]
    private static partial void LogProblems(ILogger logger, TrackedPod pod, int count, string problem);
}
