namespace Whereabouts.Testing.KubeApi.Operations;

internal enum PatchKind
{
    Json,
    Merge,
    StrategicMerge,
}
