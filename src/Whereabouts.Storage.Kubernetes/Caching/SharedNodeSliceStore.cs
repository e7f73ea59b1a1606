using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>
/// NodeSlicePools read from the watched cache once it is synced, so an ADD in slice mode sends no request to find its
/// node's slice. A table that does not name this node yet is read once more from the API server: the controller may
/// have assigned the slice a moment ago, and an ADD should not fail for a watch event still on its way.
/// </summary>
internal sealed class SharedNodeSliceStore(KubernetesNodeSliceStore api, ObjectCache<CachedSliceTable> cache) : INodeSliceStore
{
    public string Location => api.Location;

    public string? NodeName => api.NodeName;

    public Task<NodeSliceTable?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (cache.IsSynced && cache.Get(name) is { } cached && (NodeName is null || cached.Table.Slices.Any(s => s.NodeName == NodeName)))
        {
            return Task.FromResult<NodeSliceTable?>(cached.Table);
        }

        return api.GetAsync(name, cancellationToken);
    }
}
