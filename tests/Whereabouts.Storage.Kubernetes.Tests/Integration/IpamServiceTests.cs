using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

public sealed class IpamServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AllocateAsync_EmptyRange_GivesTheFirstAddressWithPoolEntryAndReservation()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore());

        var addresses = await service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1"), Ct);

        Assert.Equal(Ip.Parse("10.0.0.1"), Assert.Single(addresses).Address);
        Assert.Equal("""{"id":"c1","ifname":"net1","podref":"ns/p1"}""", Json.Allocations(cluster.Pool("10.0.0.0-24"))["1"]!.ToJsonString());
        Assert.Equal("ns/p1", (string)cluster.Reservation("10.0.0.1")!["spec"]!["podref"]!);
    }

    [Fact]
    public async Task AllocateAsync_SameInterfaceAgain_ReturnsTheSameAddressWithoutWriting()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore());
        var request = Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1");
        var first = await service.AllocateAsync(request, Ct);
        var patches = cluster.Counters.Get("patch", "ippools");

        var again = await service.AllocateAsync(request, Ct);

        Assert.Equal(first[0].Address, again[0].Address);
        Assert.Equal(patches, cluster.Counters.Get("patch", "ippools"));
        Assert.Single(Json.Allocations(cluster.Pool("10.0.0.0-24")));
    }

    [Fact]
    public async Task ReleaseAsync_Allocated_RemovesPoolEntryAndReservation()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore());
        var config = Services.Config("10.0.0.0/24");
        await service.AllocateAsync(Services.Request(config, "c1", "ns/p1"), Ct);
        await service.AllocateAsync(Services.Request(config, "c2", "ns/p2"), Ct);

        Assert.Equal(1, await service.ReleaseAsync(config, "c1", "net1", Ct));

        Assert.Equal(["2"], Json.Allocations(cluster.Pool("10.0.0.0-24")).Select(p => p.Key));
        Assert.Equal(["10.0.0.2"], cluster.Reservations().Select(r => (string)r["metadata"]!["name"]!));
        Assert.Equal(0, await service.ReleaseAsync(config, "c1", "net1", Ct));
    }

    [Fact]
    public async Task AllocateAsync_SameRangeInTwoNamedNetworks_SeparatePoolsAndReservations()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore());

        var a = await service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24", "net-a"), "c1", "ns/p1"), Ct);
        var b = await service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24", "net-b"), "c2", "ns/p2"), Ct);

        Assert.Equal(Ip.Parse("10.0.0.1"), a[0].Address);
        Assert.Equal(Ip.Parse("10.0.0.1"), b[0].Address);
        Assert.Single(Json.Allocations(cluster.Pool("net-a-10.0.0.0-24")));
        Assert.Single(Json.Allocations(cluster.Pool("net-b-10.0.0.0-24")));
        Assert.Equal(["net-a-10.0.0.1", "net-b-10.0.0.1"], cluster.Reservations().Select(r => (string)r["metadata"]!["name"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AllocateAsync_OverlappingRangesOfOneNetwork_NeverHandOutAnAddressTwice()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore());

        var wide = await service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1"), Ct);
        var narrow = await service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/25"), "c2", "ns/p2"), Ct);

        Assert.Equal(Ip.Parse("10.0.0.1"), wide[0].Address);
        Assert.Equal(Ip.Parse("10.0.0.2"), narrow[0].Address);
        Assert.Equal(["2"], Json.Allocations(cluster.Pool("10.0.0.0-25")).Select(p => p.Key));
    }

    [Fact]
    public async Task AllocateAsync_AddressReservedByAnotherPod_IsSkipped()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Plant("overlappingrangeipreservations", """{"metadata":{"name":"10.0.0.1","namespace":"kube-system"},"spec":{"podref":"ns/elsewhere","ifname":"net1"}}""");
        var service = Services.Ipam(cluster.OpenStore());

        var addresses = await service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1"), Ct);

        Assert.Equal(Ip.Parse("10.0.0.2"), addresses[0].Address);
        Assert.Equal("ns/elsewhere", (string)cluster.Reservation("10.0.0.1")!["spec"]!["podref"]!);
    }

    [Fact]
    public async Task ReleaseAsync_ReservationNowHeldByAnotherPod_KeepsIt()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore());
        var config = Services.Config("10.0.0.0/24");
        await service.AllocateAsync(Services.Request(config, "c1", "ns/p1"), Ct);
        cluster.Server.Store.Update("overlappingrangeipreservations", Cluster.Namespace, "10.0.0.1", o => o["spec"]!["podref"] = "ns/other");

        Assert.Equal(1, await service.ReleaseAsync(config, "c1", "net1", Ct));

        Assert.Empty(Json.Allocations(cluster.Pool("10.0.0.0-24")));
        Assert.Equal("ns/other", (string)cluster.Reservation("10.0.0.1")!["spec"]!["podref"]!);
    }

    [Fact]
    public async Task AllocateAsync_ServerErrorsThenRecovery_RetriesAndSucceeds()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore());
        using var get = cluster.Faults.FailNext(2, 503, "get", "ippools");
        using var patch = cluster.Faults.FailNext(2, 500, "patch", "ippools");
        using var create = cluster.Faults.FailNext(1, 502, "create", "overlappingrangeipreservations");

        var addresses = await service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1"), Ct);

        Assert.Equal(Ip.Parse("10.0.0.1"), addresses[0].Address);
        Assert.Equal((2, 2, 1), (get.Triggered, patch.Triggered, create.Triggered));
        Assert.Single(Json.Allocations(cluster.Pool("10.0.0.0-24")));
        Assert.Single(cluster.Reservations());
    }

    [Fact]
    public async Task AllocateAsync_429WithRetryAfter_WaitsAtLeastThatLong()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Faults.RetryAfterSeconds = 1;
        var service = Services.Ipam(cluster.OpenStore());
        using var busy = cluster.Faults.FailNext(1, 429, "patch", "ippools");
        var started = System.Diagnostics.Stopwatch.StartNew();

        await service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1"), Ct);

        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(0.95), $"took {started.Elapsed}");
        Assert.Equal(1, busy.Triggered);
    }

    [Fact]
    public async Task AllocateAsync_WriteCommittedButAnswerLost_ReturnsTheAddressOnceAndNoDuplicate()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore());
        using var lost = cluster.Faults.DropNext(1, "patch", "ippools", FaultPoint.AfterProcessing);

        var addresses = await service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1"), Ct);

        Assert.Equal(1, lost.Triggered);
        Assert.Equal(Ip.Parse("10.0.0.1"), addresses[0].Address);
        Assert.Equal(["1"], Json.Allocations(cluster.Pool("10.0.0.0-24")).Select(p => p.Key));
        Assert.Equal(["10.0.0.1"], cluster.Reservations().Select(r => (string)r["metadata"]!["name"]!));
    }

    [Fact]
    public async Task AllocateAsync_ServerHangs_IsUnavailableWithinTheDeadlineAndWritesNothing()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore(requestTimeout: TimeSpan.FromMilliseconds(250)), addTimeout: TimeSpan.FromSeconds(1.5));
        cluster.Faults.Pause(OutageMode.Hang);

        await Assert.ThrowsAsync<StoreUnavailableException>(
            () => service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1"), Ct));

        cluster.Faults.Resume();
        Assert.Null(cluster.Pool("10.0.0.0-24"));
        Assert.Empty(cluster.Reservations());
    }

    [Fact]
    public async Task AllocateAsync_PoolWritesFailUntilTheDeadline_LeavesNoReservationBehind()
    {
        await using var cluster = await Cluster.StartAsync();
        var service = Services.Ipam(cluster.OpenStore(requestTimeout: TimeSpan.FromMilliseconds(250)), addTimeout: TimeSpan.FromSeconds(1.5));
        using var outage = cluster.Faults.DropFraction(1.0, "patch", "ippools");

        await Assert.ThrowsAsync<StoreUnavailableException>(
            () => service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/24"), "c1", "ns/p1"), Ct));

        Assert.Empty(Json.Allocations(cluster.Pool("10.0.0.0-24")));
        Assert.Empty(cluster.Reservations());
    }
}
