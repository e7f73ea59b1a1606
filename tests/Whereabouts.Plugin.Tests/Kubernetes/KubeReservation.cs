namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>One OverlappingRangeIPReservation: its name (the address) and its spec.</summary>
internal sealed record KubeReservation(string Name, string PodRef, string IfName, string? ContainerId);
