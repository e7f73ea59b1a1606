using k8s.Models;
using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Kube;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Controller.NodeSlices;

/// <summary>
/// One pass of the slice controller: reads the NetworkAttachmentDefinitions, Nodes and NodeSlicePools, and writes
/// every sliced network's NodeSlicePool as <see cref="SlicePlanner"/> decides. A write that loses a race is left to
/// the next pass (the winner's write is a change the watches report).
/// </summary>
/// <param name="onWriting">Told every NodeSlicePool the pass is about to create or replace (<see cref="NodeSliceWatches.Writing"/>).</param>
internal sealed partial class NodeSlicePass(
    ClusterApi cluster,
    WhereaboutsClient client,
    string @namespace,
    NodeSliceEvents events,
    NodeSliceMetrics metrics,
    ILogger logger,
    Action<NodeSlicePool>? onWriting = null)
{
    private const string NetworkApiVersion = ClusterApi.NetworkGroup + "/" + ClusterApi.NetworkVersion;
    private const string NetworkKind = "NetworkAttachmentDefinition";

    /// <summary>Runs the pass; the number of NodeSlicePools created or changed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var networks = SliceNetwork.Group(await cluster.ListNetworkConfigsAsync(cancellationToken));
        var nodes = (await cluster.ListNodeNamesAsync(cancellationToken)).Items;
        var pools = (await client.ListNodeSlicePoolsAsync(@namespace, cancellationToken)).ToDictionary(static p => p.Metadata.Name ?? string.Empty, StringComparer.Ordinal);
        var written = 0;
        events.BeginPass();
        try
        {
            foreach (var network in networks)
            {
                written += await SyncAsync(network, pools.GetValueOrDefault(network.PoolName), nodes, cancellationToken) ? 1 : 0;
            }
        }
        finally
        {
            events.EndPass();
        }

        return written;
    }

    private async Task<bool> SyncAsync(SliceNetwork network, NodeSlicePool? existing, IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        foreach (var other in network.Disagreeing)
        {
            await events.WarnAsync(
                NetworkApiVersion, NetworkKind, other.Namespace, other.Name, other.Uid, NodeSliceEvents.Mismatch,
                $"its range or node_slice_size differs from {string.Join(", ", network.Definitions)} ({network.Range}, {network.SliceSize}), which share NodeSlicePool {@namespace}/{network.PoolName}; that one's are used",
                cancellationToken);
        }

        var current = Entries(existing);
        var layout = SliceLayout.Divide(network.Range, network.SlicePrefix).ToHashSet();
        var live = nodes.ToHashSet(StringComparer.Ordinal);
        var busy = new HashSet<SliceAssignment>();
        foreach (var entry in current.Where(e => !e.IsFree && (!live.Contains(e.NodeName) || !layout.Contains(e.Slice))))
        {
            if (await HoldsLiveAllocationsAsync(network, entry, cancellationToken))
            {
                busy.Add(entry);
            }
        }

        var plan = SlicePlanner.Plan(network.Range, network.SlicePrefix, current, nodes, busy.Contains);
        await ReportAsync(network, plan, existing, cancellationToken);
        metrics.Set(
            network.PoolName, plan.Slices.Count(static s => !s.IsFree), plan.Slices.Count(static s => s.IsFree), plan.Unassigned.Count, plan.Pinned.Count, network.Disagreeing.Count);

        var pool = existing ?? new NodeSlicePool { Metadata = new V1ObjectMeta { Name = network.PoolName, NamespaceProperty = @namespace } };
        var changed = Apply(pool, network, plan);
        if (existing is null)
        {
            onWriting?.Invoke(pool);
            var created = await client.CreateNodeSlicePoolAsync(@namespace, pool, cancellationToken) is not null;
            if (created)
            {
                var assignedNow = plan.Slices.Count(static s => !s.IsFree);
                LogCreated(logger, @namespace, network.PoolName, network.Range, network.SliceSize, assignedNow);
            }

            return created;
        }

        if (!changed)
        {
            return false;
        }

        onWriting?.Invoke(pool);
        if (!await client.TryReplaceNodeSlicePoolAsync(@namespace, pool, cancellationToken))
        {
            LogRaced(logger, @namespace, network.PoolName);
            return false;
        }

        var assigned = plan.Slices.Count(static s => !s.IsFree);
        LogUpdated(logger, @namespace, network.PoolName, assigned);
        return true;
    }

    /// <summary>True when the node's slice pool holds an allocation whose pod still exists.</summary>
    private async Task<bool> HoldsLiveAllocationsAsync(SliceNetwork network, SliceAssignment entry, CancellationToken cancellationToken)
    {
        var pool = await client.GetPoolAsync(@namespace, ObjectNames.IpPool(entry.Slice, network.NetworkName, entry.NodeName), cancellationToken);
        foreach (var allocation in pool?.Spec?.Allocations?.Values.ToList() ?? [])
        {
            var podRef = allocation.PodRef ?? string.Empty;
            var slash = podRef.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == podRef.Length - 1)
            {
                // Whose it is cannot be told, so it is treated as in use rather than freed under a pod.
                return true;
            }

            if (await client.GetPodPlacementAsync(podRef[..slash], podRef[(slash + 1)..], cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private async Task ReportAsync(SliceNetwork network, SlicePlan plan, NodeSlicePool? existing, CancellationToken cancellationToken)
    {
        var uid = existing?.Metadata.Uid;
        if (plan.Unassigned.Count > 0)
        {
            await events.WarnAsync(
                WhereaboutsApi.Group + "/" + WhereaboutsApi.Version, NodeSlicePool.KindName, @namespace, network.PoolName, uid, NodeSliceEvents.Exhausted,
                $"no free slice for node(s) {string.Join(", ", plan.Unassigned)}: all {plan.Slices.Count} slices of {network.Range} ({network.SliceSize}) are assigned; pods there cannot get an address until a slice is freed, the range is widened or the slices are made smaller",
                cancellationToken);
        }

        foreach (var pinned in plan.Pinned)
        {
            await events.WarnAsync(
                WhereaboutsApi.Group + "/" + WhereaboutsApi.Version, NodeSlicePool.KindName, @namespace, network.PoolName, uid, NodeSliceEvents.NotMoved,
                $"node {pinned.NodeName} keeps slice {pinned.Slice}, which is not a {network.SliceSize} slice of {network.Range}: its slice pool holds allocations of live pods; it moves once they are gone",
                cancellationToken);
        }
    }

    private static List<SliceAssignment> Entries(NodeSlicePool? pool)
    {
        var entries = new List<SliceAssignment>();
        foreach (var allocation in pool?.Status?.Allocations ?? [])
        {
            if (Cidr.TryParse(allocation.SliceRange, out var slice))
            {
                entries.Add(new SliceAssignment(allocation.NodeName ?? string.Empty, slice.Masked));
            }
        }

        return entries;
    }

    /// <summary>Writes the plan into the object; true when anything changed. Same-namespace definitions become owners.</summary>
    private bool Apply(NodeSlicePool pool, SliceNetwork network, SlicePlan plan)
    {
        var changed = false;
        var range = network.Range.ToString();
        if (pool.Spec?.Range != range || pool.Spec?.SliceSize != network.SliceSize)
        {
            pool.Spec = new NodeSlicePoolSpec { Range = range, SliceSize = network.SliceSize };
            changed = true;
        }

        var allocations = plan.Slices.Select(static s => new NodeSliceAllocation { NodeName = s.NodeName, SliceRange = s.Slice.ToString() }).ToList();
        var stored = pool.Status?.Allocations ?? [];
        if (stored.Count != allocations.Count || stored.Zip(allocations).Any(static p => p.First.NodeName != p.Second.NodeName || p.First.SliceRange != p.Second.SliceRange))
        {
            pool.Status = new NodeSlicePoolStatus { Allocations = allocations };
            changed = true;
        }

        // Kubernetes treats an owner in another namespace as absent and would delete the pool, so only definitions in
        // the pool's namespace own it (upstream requires every sliced definition to live there).
        var owners = pool.Metadata.OwnerReferences ?? [];
        foreach (var definition in network.Definitions.Where(d => d.Namespace == @namespace && d.Uid.Length > 0))
        {
            if (!owners.Any(o => o.Uid == definition.Uid))
            {
                owners.Add(new V1OwnerReference
                {
                    ApiVersion = NetworkApiVersion,
                    Kind = NetworkKind,
                    Name = definition.Name,
                    Uid = definition.Uid,
                    Controller = !owners.Any(static o => o.Controller == true),
                });
                changed = true;
            }
        }

        pool.Metadata.OwnerReferences = owners.Count > 0 ? owners : null;
        return changed;
    }

    [LoggerMessage(EventId = 482, Level = LogLevel.Information, Message = "Created NodeSlicePool {Namespace}/{Name}: {Range} in {SliceSize} slices, {Assigned} assigned")]
    private static partial void LogCreated(ILogger logger, string @namespace, string name, Cidr range, string sliceSize, int assigned);

    [LoggerMessage(EventId = 483, Level = LogLevel.Information, Message = "Updated NodeSlicePool {Namespace}/{Name}: {Assigned} slices assigned")]
    private static partial void LogUpdated(ILogger logger, string @namespace, string name, int assigned);

    [LoggerMessage(EventId = 484, Level = LogLevel.Debug, Message = "NodeSlicePool {Namespace}/{Name} changed while we wrote it; the next pass retries")]
    private static partial void LogRaced(ILogger logger, string @namespace, string name);
}
