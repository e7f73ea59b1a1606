using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary>Which OverlappingRangeIPReservations a pass releases: unused by any allocation, old enough, and of no live pod.</summary>
public sealed class ReservationReconcileTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RunAsync_OrphanOfAGonePod_ReleasedWhateverItsAge_YoungOneOfAnExistingPodKept()
    {
        _cluster.Reservation("10.0.0.5", "default/gone");
        _cluster.Young();
        _cluster.Pod("default/adding");
        _cluster.Reservation("10.0.0.6", "default/adding");
        _cluster.Reservation("10.0.0.7", "default/gone-too");

        var (summary, report) = await _cluster.ReconcileAsync();

        Assert.False(_cluster.HasReservation("10.0.0.5"));
        Assert.True(_cluster.HasReservation("10.0.0.6"));
        Assert.False(_cluster.HasReservation("10.0.0.7"));
        Assert.Equal(["kube-system/10.0.0.5", "kube-system/10.0.0.7"], report.Reservations.Order());
        Assert.Equal((2, 1), (summary.ReservationsReleased, summary.ReservationsKept["young"]));
    }

    [Fact]
    public async Task RunAsync_NodeLost_EveryReleasedAllocationsYoungReservationGoesInTheSamePass()
    {
        // 40 pods of a lost node: their allocations and (young) reservations, the pods themselves gone.
        _cluster.Young();
        var allocations = Enumerable.Range(10, 40).Select(i => new Alloc($"{i}", $"c{i}", $"default/lost-{i}")).ToArray();
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", [.. allocations, new Alloc("5", "c5", "default/alive")]);
        _cluster.Pod("default/alive");
        _cluster.Reservation("10.0.0.5", "default/alive");
        foreach (var i in Enumerable.Range(10, 40))
        {
            _cluster.Reservation($"10.0.0.{i}", $"default/lost-{i}");
        }

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.Equal(["5"], _cluster.Allocations("10.0.0.0-24").Keys);
        Assert.True(_cluster.HasReservation("10.0.0.5"));
        Assert.All(Enumerable.Range(10, 40), i => Assert.False(_cluster.HasReservation($"10.0.0.{i}")));
        Assert.Equal((40, 40, 0), (summary.Released, summary.ReservationsReleased, summary.Errors));
        Assert.False(summary.ReservationsKept.ContainsKey("young"));
    }

    [Fact]
    public async Task RunAsync_ReservationOfAReleasedAllocationWhosePodCameBack_Kept()
    {
        // The pod list says gone, but a pod of that name exists by the time the reservation would go (a StatefulSet).
        _cluster.Young();
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("5", "c1", "default/web-0"));
        _cluster.Reservation("10.0.0.5", "default/web-0");
        _cluster.Faults.BeforeNext("patch", "ippools", () => _cluster.Pod("default/web-0"));

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.Empty(_cluster.Allocations("10.0.0.0-24"));
        Assert.True(_cluster.HasReservation("10.0.0.5"));
        Assert.Equal((1, 0), (summary.Released, summary.ReservationsReleased));
    }

    [Fact]
    public async Task RunAsync_NamedNetworkReservationOfAKeptAllocation_Kept()
    {
        // Upstream turned "net1-10.0.0.5" back into "net1:10.0.0.5", matched no address and deleted it every run.
        // The allocations have no podref, so only their pool entry (not a live pod) can keep the reservation.
        _cluster.Pool("net1-10.0.0.0-24", "10.0.0.0/24", new Alloc("5", "c1", ""));
        _cluster.Reservation("net1-10.0.0.5", "");
        _cluster.Reservation("net1-10.0.0.6", "");
        _cluster.Reservation("other-10.0.0.5", "");

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.True(_cluster.HasReservation("net1-10.0.0.5"));
        Assert.False(_cluster.HasReservation("net1-10.0.0.6"));
        Assert.False(_cluster.HasReservation("other-10.0.0.5"));
        Assert.Equal((2, 1), (summary.ReservationsReleased, summary.ReservationsKept["in-use"]));
    }

    [Theory]
    [InlineData("fd00::/32", "1208925819614629174706176", null)]
    [InlineData("fd00::/32", "1208925819614629174706176", "blue")]
    [InlineData("2001:db8::/64", "0", null)]
    [InlineData("10.1.0.0/24", "7", "net1")]
    public async Task RunAsync_ReservationOfALiveAllocation_KeptAsInUse(string range, string offset, string? network)
    {
        var cidr = Cidr.Parse(range);
        Assert.True(cidr.Address.TryAdd(UInt128.Parse(offset, System.Globalization.CultureInfo.InvariantCulture), out var address));
        var reservation = ObjectNames.OverlappingReservation(address, network);
        _cluster.Pool(ObjectNames.IpPool(cidr, network), range, new Alloc(offset, "c1", "default/alive"));
        _cluster.Pod("default/alive");
        _cluster.Reservation(reservation, "default/alive");

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.True(_cluster.HasReservation(reservation));
        Assert.Equal(1, summary.ReservationsKept["in-use"]);
    }

    [Fact]
    public async Task RunAsync_NodeSlicePoolOfANamedNetwork_ItsReservationInUse()
    {
        _cluster.Pool("net1-node-a-10.1.0.0-24", "10.1.0.0/24", new Alloc("7", "c1", ""));
        _cluster.Reservation("net1-10.1.0.7", "");

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.True(_cluster.HasReservation("net1-10.1.0.7"));
        Assert.Equal(1, summary.ReservationsKept["in-use"]);
    }

    [Fact]
    public async Task RunAsync_PoolWhoseNameCannotBeTakenApart_ProtectsItsPodsReservations()
    {
        // A network name that is no valid object name gives a shortened, hashed pool name: its reservations cannot
        // be named from it, so every reservation of its allocations' pods stays.
        var range = Cidr.Parse("10.2.0.0/24");
        _cluster.Pool(ObjectNames.IpPool(range, "Net_1"), "10.2.0.0/24", new Alloc("3", "c1", ""));
        _cluster.Reservation(ObjectNames.OverlappingReservation(Ip.Parse("10.2.0.3"), "Net_1"), "");
        _cluster.Pool("hand-made", "10.3.0.0/24", new Alloc("3", "c2", "apps/x"));
        _cluster.Pod("apps/x");
        _cluster.Reservation("10.3.0.3", "apps/x");
        _cluster.Reservation("10.3.0.4", "apps/gone");

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.True(_cluster.HasReservation(ObjectNames.OverlappingReservation(Ip.Parse("10.2.0.3"), "Net_1")));
        Assert.True(_cluster.HasReservation("10.3.0.3"));
        Assert.False(_cluster.HasReservation("10.3.0.4"));
        Assert.Equal((2, 1), (summary.ReservationsKept["unmatched-pool"], summary.ReservationsReleased));
    }

    [Fact]
    public async Task RunAsync_ReservationOfALivePodWithoutAllocation_Kept()
    {
        _cluster.Pod("default/alive");
        _cluster.Pod("default/going");
        _cluster.Terminate("default/going");
        _cluster.Reservation("10.0.0.8", "default/alive");
        _cluster.Reservation("10.0.0.9", "default/going");

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.True(_cluster.HasReservation("10.0.0.8"));
        Assert.True(_cluster.HasReservation("10.0.0.9"));
        Assert.Equal(2, summary.ReservationsKept["pod-alive"]);
    }

    [Fact]
    public async Task RunAsync_ReservationOfAnAllocationReleasedInThisPass_Released()
    {
        _cluster.Pool("10.0.0.0-24", "10.0.0.0/24", new Alloc("5", "c1", "default/gone"), new Alloc("6", "c2", "default/alive"));
        _cluster.Pod("default/alive");
        _cluster.Reservation("10.0.0.5", "default/gone");
        _cluster.Reservation("10.0.0.6", "default/alive");

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.False(_cluster.HasReservation("10.0.0.5"));
        Assert.True(_cluster.HasReservation("10.0.0.6"));
        Assert.Equal((1, 1, 1), (summary.Released, summary.ReservationsReleased, summary.ReservationsKept["in-use"]));
    }

    [Fact]
    public async Task RunAsync_ReservationOfAnotherNamespace_NotMatchedByThisNamespacesPools()
    {
        _cluster.PoolIn("tenant", "10.0.0.0-24", "10.0.0.0/24", new Alloc("5", "c1", ""));
        _cluster.Reservation("10.0.0.5", "", @namespace: "tenant");
        _cluster.Reservation("10.0.0.5", "");

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.True(_cluster.HasReservation("10.0.0.5", "tenant"));
        Assert.False(_cluster.HasReservation("10.0.0.5"));
        Assert.Equal(1, summary.ReservationsReleased);
    }
}
