namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>One entry of an IPPool's <c>spec.allocations</c>, with the address its offset stands for.</summary>
internal sealed record KubeAllocation(string Pool, string Offset, string Address, string ContainerId, string PodRef, string IfName);
