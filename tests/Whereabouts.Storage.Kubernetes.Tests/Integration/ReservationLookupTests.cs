using Whereabouts.Core.Allocation;
using Whereabouts.Storage.Kubernetes.Crds;
using Whereabouts.Storage.Kubernetes.Tests.Support;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

/// <summary>A DEL finds its attachment's reservations by a label, with one label-selected LIST, not by reading them all.</summary>
public sealed class ReservationLookupTests
{
    private const string RuntimeId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("c1", "c1")]
    [InlineData(RuntimeId, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("-odd_", "h-")]
    [InlineData("with/slash", "h-")]
    public void ValueFor_IsAValidLabelValue(string containerId, string expectedPrefix)
    {
        var value = ReservationLabels.ValueFor(containerId);

        Assert.StartsWith(expectedPrefix, value, StringComparison.Ordinal);
        Assert.InRange(value.Length, 1, 63);
        Assert.Matches("^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$", value);
    }

    [Fact]
    public async Task TryCreateAsync_LabelsTheReservationWithItsContainer()
    {
        await using var cluster = await Cluster.StartAsync();

        await cluster.OpenStore().Reservations.TryCreateAsync("10.0.0.5", new AllocationOwner(RuntimeId, "ns/p1", "net1"), Ct);

        var labels = cluster.Reservation("10.0.0.5")!["metadata"]!["labels"]!;
        Assert.Equal(RuntimeId[..63], labels[ReservationLabels.ContainerId]!.GetValue<string>());
    }

    /// <summary>The shared store asks the API server too, although its cache is synced: the cache may lag another process's create.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FindByContainerAsync_OneSelectedList_OnlyThatContainersReservations(bool shared)
    {
        await using var cluster = await Cluster.StartAsync();
        Whereabouts.Ipam.Stores.IIpamStore store = shared ? await cluster.StartSharedStoreAsync() : cluster.OpenStore();
        await store.Reservations.TryCreateAsync("10.0.0.5", new AllocationOwner(RuntimeId, "ns/p1", "net1"), Ct);
        await store.Reservations.TryCreateAsync("10.0.0.6", new AllocationOwner(RuntimeId, "ns/p1", "net2"), Ct);

        // Same 63-character label value, another container: listed by the selector, dropped by the exact match.
        await store.Reservations.TryCreateAsync("10.0.0.7", new AllocationOwner(RuntimeId[..63] + "0", "ns/p2", "net1"), Ct);
        await store.Reservations.TryCreateAsync("10.0.0.8", new AllocationOwner("other", "ns/p3", "net1"), Ct);
        var lists = cluster.Counters.Get("list", "overlappingrangeipreservations");

        var found = await store.Reservations.FindByContainerAsync(RuntimeId, Ct);

        Assert.Equal(["10.0.0.5", "10.0.0.6"], found.Select(static r => r.Name).Order());
        Assert.Equal(lists + 1, cluster.Counters.Get("list", "overlappingrangeipreservations"));
    }

    [Fact]
    public async Task FindByContainerAsync_UpstreamReservationWithoutTheLabel_IsNotFound()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("overlappingrangeipreservations", """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"OverlappingRangeIPReservation","metadata":{"name":"192.168.1.3","namespace":"kube-system"},"spec":{"containerid":"v05container","podref":"legacy/v05-pod","ifname":"net1"}}""");

        Assert.Empty(await cluster.OpenStore().Reservations.FindByContainerAsync("v05container", Ct));
    }
}
