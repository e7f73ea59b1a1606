namespace Whereabouts.Ipam.Tests.Support;

/// <summary>Owners named by number: container <c>c{n}</c>, pod <c>ns/pod{n}</c>.</summary>
internal static class Pods
{
    public static AllocationOwner Pod(int n, string ifName = "net1", string? containerId = null) =>
        new(containerId ?? $"c{n}", $"ns/pod{n}", ifName);
}
