namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>The objects of one resource as of <paramref name="Revision"/>, in key order.</summary>
internal sealed record StoreSnapshot(IReadOnlyList<StoredObject> Items, long Revision);
