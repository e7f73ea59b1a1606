using Whereabouts.Core.Allocation;
using Whereabouts.Storage.Kubernetes.Tests.Support;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

public sealed class ReservationStoreTests
{
    private static readonly AllocationOwner Owner = new("c1", "ns/p1", "net1");
    private static readonly AllocationOwner Other = new("c2", "ns/p2", "net1");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryCreateAsync_FreeName_CreatesWithPodrefIfnameAndContainerId()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore();

        var claim = await store.Reservations.TryCreateAsync("10.0.0.5", Owner, Ct);

        Assert.True(claim.Created);
        var stored = cluster.Reservation("10.0.0.5")!;
        Assert.Equal("""{"containerid":"c1","ifname":"net1","podref":"ns/p1"}""", stored["spec"]!.ToJsonString());
        Assert.Equal(Json.ResourceVersion(stored), claim.Reservation.Version);
        Assert.Equal(Json.Uid(stored), claim.Reservation.Uid);
        Assert.NotNull(claim.Reservation.CreatedAt);
        Assert.Equal(("ns/p1", "net1", "c1"), (claim.Reservation.PodRef, claim.Reservation.IfName, claim.Reservation.ContainerId));
    }

    [Fact]
    public async Task TryCreateAsync_NameHeld_ReturnsTheHolder()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore();
        var first = await store.Reservations.TryCreateAsync("10.0.0.5", Owner, Ct);

        var second = await store.Reservations.TryCreateAsync("10.0.0.5", Other, Ct);

        Assert.False(second.Created);
        Assert.Equal(first.Reservation, second.Reservation);
        Assert.Equal(1, cluster.Counters.Get("create", "overlappingrangeipreservations", 409));
    }

    [Fact]
    public async Task TryCreateAsync_HolderVanishedBeforeTheRead_CreatesAgain()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore();
        using var conflict = cluster.Faults.FailNext(1, 409, "create", "overlappingrangeipreservations");

        var claim = await store.Reservations.TryCreateAsync("10.0.0.5", Owner, Ct);

        Assert.True(claim.Created);
        Assert.Equal(1, cluster.Counters.Get("get", "overlappingrangeipreservations", 404));
        Assert.Equal(1, cluster.Counters.Get("create", "overlappingrangeipreservations", 201));
    }

    [Fact]
    public async Task TwoClaimantsAtOnce_ExactlyOneCreates()
    {
        await using var cluster = await Cluster.StartAsync();
        var stores = Enumerable.Range(0, 8).Select(_ => cluster.OpenStore()).ToList();
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(20));

        var claims = await Task.WhenAll(stores.Select((s, i) => s.Reservations.TryCreateAsync("10.0.0.9", new AllocationOwner($"c{i}", $"ns/p{i}", "net1"), Ct)));

        var winner = Assert.Single(claims, c => c.Created);
        Assert.All(claims, c => Assert.Equal(winner.Reservation, c.Reservation));
    }

    [Fact]
    public async Task DeleteAsync_AsRead_DeletesWithUidAndVersionPreconditions()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore();
        var claim = await store.Reservations.TryCreateAsync("10.0.0.5", Owner, Ct);

        Assert.True(await store.Reservations.DeleteAsync(claim.Reservation, Ct));

        Assert.Null(cluster.Reservation("10.0.0.5"));
        Assert.Null(await store.Reservations.GetAsync("10.0.0.5", Ct));
    }

    [Fact]
    public async Task DeleteAsync_ChangedSinceRead_IsFalseAndKeepsIt()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore();
        var claim = await store.Reservations.TryCreateAsync("10.0.0.5", Owner, Ct);
        cluster.Server.Store.Update("overlappingrangeipreservations", Cluster.Namespace, "10.0.0.5", o => o["spec"]!["podref"] = "ns/moved");

        Assert.False(await store.Reservations.DeleteAsync(claim.Reservation, Ct));

        Assert.NotNull(cluster.Reservation("10.0.0.5"));
        Assert.Equal(1, cluster.Counters.Get("delete", "overlappingrangeipreservations", 409));
    }

    [Fact]
    public async Task DeleteAsync_RecreatedUnderTheSameName_IsFalseAndKeepsTheNewOne()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore();
        var old = (await store.Reservations.TryCreateAsync("10.0.0.5", Owner, Ct)).Reservation;
        Assert.True(await store.Reservations.DeleteAsync(old, Ct));
        var current = (await store.Reservations.TryCreateAsync("10.0.0.5", Other, Ct)).Reservation;

        // Same name; even the version of the stale read cannot match the new incarnation's uid.
        Assert.False(await store.Reservations.DeleteAsync(old with { Version = current.Version }, Ct));

        Assert.Equal("ns/p2", (string)cluster.Reservation("10.0.0.5")!["spec"]!["podref"]!);
    }

    [Fact]
    public async Task DeleteAsync_Gone_IsFalse()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore();
        var claim = await store.Reservations.TryCreateAsync("10.0.0.5", Owner, Ct);
        Assert.True(cluster.Server.Store.Delete("overlappingrangeipreservations", Cluster.Namespace, "10.0.0.5"));

        Assert.False(await store.Reservations.DeleteAsync(claim.Reservation, Ct));
    }

    [Fact]
    public async Task GetAsync_UpstreamV05Reservation_ReadsContainerIdAndEmptyIfName()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("overlappingrangeipreservations", """
            {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"OverlappingRangeIPReservation",
             "metadata":{"name":"10.0.0.7","namespace":"kube-system"},"spec":{"containerid":"old","podref":"ns/legacy"}}
            """);

        var reservation = (await cluster.OpenStore().Reservations.GetAsync("10.0.0.7", Ct))!;

        Assert.Equal(("ns/legacy", string.Empty, "old"), (reservation.PodRef, reservation.IfName, reservation.ContainerId));
        Assert.True(reservation.IsOwnedBy("ns/legacy", "net1"));
    }

    [Fact]
    public async Task GetAsync_UpstreamV094Reservation_HasNoContainerId()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("overlappingrangeipreservations", """
            {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"OverlappingRangeIPReservation",
             "metadata":{"name":"2001-db8--5","namespace":"kube-system"},"spec":{"podref":"ns/p","ifname":"net2"}}
            """);

        var reservation = (await cluster.OpenStore().Reservations.GetAsync("2001-db8--5", Ct))!;

        Assert.Equal(("ns/p", "net2", (string?)null), (reservation.PodRef, reservation.IfName, reservation.ContainerId));
    }

    [Fact]
    public async Task ListReservationsAsync_ListsThisNamespaceOnly()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore();
        await store.Reservations.TryCreateAsync("10.0.0.1", Owner, Ct);
        await store.Reservations.TryCreateAsync("10.0.0.2", Other, Ct);
        cluster.Plant("overlappingrangeipreservations", """{"metadata":{"name":"10.0.0.3","namespace":"default"},"spec":{"podref":"ns/x"}}""");

        var reservations = await store.ListReservationsAsync(Ct);

        Assert.Equal(["10.0.0.1", "10.0.0.2"], reservations.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await store.Client.ListReservationsAsync(null, Ct)).Count);
    }
}
