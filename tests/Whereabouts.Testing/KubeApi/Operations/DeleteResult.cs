using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>The outcome of a delete: the object as the response shows it, and whether it is gone (not just terminating).</summary>
internal sealed record DeleteResult(StoredObject Object, bool Deleted);
