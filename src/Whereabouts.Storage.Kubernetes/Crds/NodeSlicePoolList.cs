namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>A page of <see cref="NodeSlicePool"/> objects.</summary>
public sealed class NodeSlicePoolList() : WhereaboutsList<NodeSlicePool>("NodeSlicePoolList");
