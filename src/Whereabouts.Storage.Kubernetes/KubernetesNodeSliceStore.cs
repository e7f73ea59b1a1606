using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes;

/// <summary>NodeSlicePool objects in the whereabouts namespace, read as upstream's node-slice controller writes them.</summary>
internal sealed class KubernetesNodeSliceStore(WhereaboutsClient client, string @namespace, string? nodeName) : INodeSliceStore
{
    public string Location => @namespace;

    public string? NodeName => nodeName;

    public async Task<NodeSliceTable?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var pool = await client.GetNodeSlicePoolAsync(@namespace, name, cancellationToken);
        return pool is null ? null : ToTable(pool);
    }

    internal static NodeSliceTable ToTable(NodeSlicePool pool) =>
        new(
            pool.Metadata.Name ?? string.Empty,
            pool.Spec?.Range,
            pool.Spec?.SliceSize,
            [.. (pool.Status?.Allocations ?? []).Select(static a => new NodeSliceEntry(a.NodeName ?? string.Empty, a.SliceRange ?? string.Empty))]);
}
