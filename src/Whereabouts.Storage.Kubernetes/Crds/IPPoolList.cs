namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>A page of <see cref="IPPool"/> objects.</summary>
public sealed class IPPoolList() : WhereaboutsList<IPPool>("IPPoolList");
