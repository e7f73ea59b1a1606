using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>One page of a list: items, the list's resourceVersion, and the continuation if more remain.</summary>
internal sealed record ListResult(IReadOnlyList<StoredObject> Items, long Revision, string? Continue, long? RemainingItemCount);
