using Whereabouts.Core.Allocation;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>
/// The allocations of an <see cref="IPPool"/> as <see cref="PoolEventReader"/> read them: already keyed by offset,
/// each shared with the cached snapshot where it did not change, and the keys that are no offset.
/// </summary>
/// <param name="Allocations">The readable allocations by offset.</param>
/// <param name="UnreadableKeys">The keys that are no canonical offset, or whose allocation is null.</param>
internal sealed record ReadAllocations(Dictionary<UInt128, PoolAllocation> Allocations, List<string> UnreadableKeys);
