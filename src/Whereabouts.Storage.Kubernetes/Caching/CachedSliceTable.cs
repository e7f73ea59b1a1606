using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>A NodeSlicePool as the cache holds it: the table the engine reads, and the version the watch orders it by.</summary>
internal sealed record CachedSliceTable(NodeSliceTable Table, string Version, string? Uid);
