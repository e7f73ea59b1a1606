using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Kube;
using Whereabouts.Controller.NodeController;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Controller.NodeSlices;

/// <summary>
/// The watches behind the slice controller: the NetworkAttachmentDefinitions of every namespace, the Nodes and the
/// NodeSlicePools of the whereabouts namespace, each listed and then watched (<see cref="ListWatch{T}"/>). Whenever
/// one of them changes what a pass reads, it asks for a pass. Only that part of each object is kept, to compare.
/// </summary>
internal sealed class NodeSliceWatches(
    ClusterApi cluster, WhereaboutsClient client, string @namespace, NodeSliceSettings settings, TimeProvider time, ILogger logger)
{
    // One lock over the three states and the count of changes, so that Progress is one consistent reading.
    private readonly Lock _gate = new();
    private WatchedObjects _networks = new();
    private WatchedObjects _nodes = new();
    private WatchedObjects _pools = new();
    private long _changes;

    /// <summary>
    /// Whether each resource was listed since the watches started (a pass from then on misses nothing), and how many
    /// changes the watches have reported in all, lists included: a pass is needed only when that number moved.
    /// </summary>
    public (bool IsListed, long Changes) Progress
    {
        get
        {
            lock (_gate)
            {
                return (_networks.IsListed && _nodes.IsListed && _pools.IsListed, _changes);
            }
        }
    }

    /// <summary>Lists and watches until cancelled; <paramref name="changed"/> is called for every change, from any of the watches.</summary>
    public Task RunAsync(Action changed, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _networks = new WatchedObjects();
            _nodes = new WatchedObjects();
            _pools = new WatchedObjects();
        }

        return TaskGroup.RunAsync(
            cancellationToken,
            Watch(
                "NetworkAttachmentDefinitions",
                _networks,
                async ct => Listed(await cluster.ListNetworkDefinitionsAsync(ct), StateOf),
                (version, ct) => cluster.WatchNetworkDefinitionsAsync(version, settings.WatchTimeout, ct),
                StateOf,
                changed),
            Watch(
                "Nodes",
                _nodes,
                async ct => Listed(await cluster.ListNodeNamesAsync(ct), static n => new(n, string.Empty)),
                (version, ct) => cluster.WatchNodesAsync(version, settings.WatchTimeout, ct),
                static m => new(m.Name ?? string.Empty, string.Empty),
                changed),
            Watch(
                "NodeSlicePools in " + @namespace,
                _pools,
                async ct => Listed(await client.ListNodeSlicePoolsWithVersionAsync(@namespace, ct), StateOf),
                (version, ct) => client.WatchNodeSlicePoolsAsync(@namespace, version, settings.WatchTimeout, ct),
                StateOf,
                changed));
    }

    /// <summary>
    /// Records what a pass is about to write, so that the watch's echo of the write asks for no pass. It is recorded
    /// before the request because the echo may arrive before the answer. Should the write fail, the next change to
    /// the NodeSlicePool still differs from it (or is it, and needs no pass).
    /// </summary>
    public void Writing(NodeSlicePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var (key, state) = StateOf(pool);
        lock (_gate)
        {
            _pools.Set(key, state);
        }
    }

    /// <summary>What a pass reads of a NodeSlicePool: its spec, its assignments and its owners.</summary>
    private static KeyValuePair<string, string> StateOf(NodeSlicePool pool) => new(
        pool.Metadata?.Name ?? string.Empty,
        string.Join(
            '\n',
            pool.Spec?.Range,
            pool.Spec?.SliceSize,
            string.Join(' ', (pool.Status?.Allocations ?? []).Select(static a => a.SliceRange + "=" + a.NodeName)),
            string.Join(' ', (pool.Metadata?.OwnerReferences ?? []).Select(static o => o.Uid))));

    /// <summary>What a pass reads of a NetworkAttachmentDefinition: its uid (for owner references) and its config.</summary>
    private static KeyValuePair<string, string> StateOf(NetworkDefinition definition) => new(definition.ToString(), definition.Uid + "\n" + definition.Config);

    private static (IEnumerable<KeyValuePair<string, string>> Objects, string ResourceVersion) Listed<T>(
        ObjectList<T> list, Func<T, KeyValuePair<string, string>> stateOf) =>
        (list.Items.Select(stateOf), list.ResourceVersion);

    private Func<CancellationToken, Task> Watch<T>(
        string resource,
        WatchedObjects objects,
        Func<CancellationToken, Task<(IEnumerable<KeyValuePair<string, string>> Objects, string ResourceVersion)>> list,
        Func<string, CancellationToken, Task<ObjectWatch<T>>> watch,
        Func<T, KeyValuePair<string, string>> stateOf,
        Action changed)
        where T : class
    {
        var loop = new ListWatch<T>(
            resource,
            async ct =>
            {
                var (listed, version) = await list(ct);
                if (Counted(() => objects.Replace(listed)))
                {
                    changed();
                }

                return version;
            },
            watch,
            change =>
            {
                var (key, state) = stateOf(change.Item!);
                if (Counted(() => change.Type == WatchEvent<T>.Deleted ? objects.Remove(key) : objects.Set(key, state)))
                {
                    changed();
                }
            },
            // Not for /healthz, which is about the pod watch of this node; a failing slice watch is logged.
            static _ => { },
            settings.Retry,
            time,
            logger);
        return loop.RunAsync;
    }

    /// <summary>Applies a change to the states; true, and counted, when it changed them.</summary>
    private bool Counted(Func<bool> update)
    {
        lock (_gate)
        {
            if (!update())
            {
                return false;
            }

            _changes++;
            return true;
        }
    }
}
