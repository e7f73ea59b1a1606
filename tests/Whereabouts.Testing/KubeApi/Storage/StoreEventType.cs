namespace Whereabouts.Testing.KubeApi.Storage;

internal enum StoreEventType
{
    Added,
    Modified,
    Deleted,
}
