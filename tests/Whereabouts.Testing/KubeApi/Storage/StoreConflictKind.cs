namespace Whereabouts.Testing.KubeApi.Storage;

internal enum StoreConflictKind
{
    /// <summary>A create found the key taken.</summary>
    Exists,

    /// <summary>An update or delete found no object.</summary>
    Missing,

    /// <summary>The object changed since the caller read it.</summary>
    Changed,
}
