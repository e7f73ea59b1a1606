using Whereabouts.Ipam.Errors;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary>API failures in the middle of a pass: no partial corruption, no live allocation lost, errors counted.</summary>
public sealed class ReconcileFaultTests : IAsyncLifetime
{
    private const string PoolName = "10.0.0.0-24";

    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _cluster.Pod("default/alive");
        _cluster.Pool(PoolName, "10.0.0.0/24", new Alloc("1", "c-gone", "default/gone"), new Alloc("2", "c-alive", "default/alive"));
        _cluster.Reservation("10.0.0.1", "default/gone");
        _cluster.Reservation("10.0.0.2", "default/alive");
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData(503, 1)]
    [InlineData(500, 2)]
    [InlineData(429, 1)]
    [InlineData(409, 3)]
    public async Task RunAsync_WriteFailsAFewTimes_RetriedAndReleased(int status, int count)
    {
        _cluster.Faults.RetryAfterSeconds = 0;
        _cluster.Faults.FailNext(count, status, "patch", "ippools");
        if (status != 409)
        {
            // A 409 on a conditional delete means the reservation changed: it is kept, not retried.
            _cluster.Faults.FailNext(count, status, "delete", "overlappingrangeipreservations");
        }

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.Equal(["2"], _cluster.Allocations(PoolName).Keys);
        Assert.False(_cluster.HasReservation("10.0.0.1"));
        Assert.Equal((1, 1, 0), (summary.Released, summary.ReservationsReleased, summary.Errors));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(422)]
    [InlineData(409)]
    public async Task RunAsync_WriteKeepsFailing_CountedAsErrorAndThePassGoesOn(int status)
    {
        _cluster.Pool("10.0.1.0-24", "10.0.1.0/24", new Alloc("1", "c-gone", "default/gone-too"));
        using var fault = _cluster.Faults.FailFraction(1, status, "patch", "ippools");

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.Equal(["1", "2"], _cluster.Allocations(PoolName).Keys.Order());
        Assert.Equal(["1"], _cluster.Allocations("10.0.1.0-24").Keys);
        Assert.Equal((0, 2, 2), (summary.Released, summary.Kept["write-failed"], summary.Errors));

        // The reservation of the entry that could not be removed is still used by it.
        Assert.True(_cluster.HasReservation("10.0.0.1"));
    }

    [Fact]
    public async Task RunAsync_AnswerToTheWriteLost_EntryFoundGoneOnTheRereadCountsAsReleasedNotAnError()
    {
        _cluster.Faults.DropNext(1, "patch", "ippools", FaultPoint.AfterProcessing);

        var (summary, _) = await _cluster.ReconcileAsync();

        Assert.Equal(["2"], _cluster.Allocations(PoolName).Keys);
        Assert.Equal((1, 0, 0), (summary.Released, summary.Vanished, summary.Errors));
    }

    [Theory]
    [InlineData("ippools")]
    [InlineData("overlappingrangeipreservations")]
    [InlineData("pods")]
    public async Task RunAsync_ListFails_ThrowsBeforeAnyWrite(string resource)
    {
        using var fault = _cluster.Faults.FailFraction(1, 503, "list", resource);
        var before = _cluster.Writes;

        await Assert.ThrowsAsync<StoreUnavailableException>(() => _cluster.ReconcileAsync());

        Assert.Equal(before, _cluster.Writes);
        Assert.Equal(2, _cluster.Allocations(PoolName).Count);
    }

    [Fact]
    public async Task RunAsync_OutageBetweenSnapshotAndWrite_WaitsItOutAndReleases()
    {
        _cluster.Faults.SetWriteLatency(TimeSpan.FromSeconds(1));
        var pass = _cluster.ReconcileAsync(
            TestCluster.Fast() with { Release = new Whereabouts.Ipam.IpamOptions { DelTimeout = TimeSpan.FromSeconds(10), InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) } },
            requestTimeout: TimeSpan.FromSeconds(2));
        while (_cluster.Server.Counters.Get("list", "pods") == 0)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        _cluster.Faults.Pause(OutageMode.Refuse);
        await Task.Delay(600, TestContext.Current.CancellationToken);
        _cluster.Faults.Resume();
        var (summary, _) = await pass;

        Assert.Equal(["2"], _cluster.Allocations(PoolName).Keys);
        Assert.Equal(0, summary.Errors);
        Assert.Equal(1, summary.Released + summary.Vanished);
    }

    [Fact]
    public async Task RunAsync_RandomFaultsEverywhere_NoLiveAllocationLostAndEveryPoolValid()
    {
        var live = new Dictionary<string, Dictionary<string, (string, string, string)>>();
        for (var p = 0; p < 6; p++)
        {
            var pool = $"10.{p + 10}.0.0-24";
            var allocations = new List<Alloc>();
            live[pool] = [];
            for (var i = 1; i <= 12; i++)
            {
                var podRef = i % 3 == 0 ? $"default/alive-{p}-{i}" : $"default/gone-{p}-{i}";
                allocations.Add(new Alloc(i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"c-{p}-{i}", podRef));
                if (i % 3 == 0)
                {
                    _cluster.Pod(podRef);
                    live[pool][allocations[^1].Offset] = (allocations[^1].Id, podRef, "net1");
                }
            }

            _cluster.Pool(pool, $"10.{p + 10}.0.0/24", [.. allocations]);
        }

        _cluster.Faults.RetryAfterSeconds = 0;
        using (_cluster.Faults.FailFraction(0.3, 503, "patch"))
        using (_cluster.Faults.FailFraction(0.2, 409, "patch"))
        using (_cluster.Faults.FailFraction(0.2, 500, "get"))
        using (_cluster.Faults.FailFraction(0.2, 503, "delete"))
        using (_cluster.Faults.DropFraction(0.2, "patch", point: FaultPoint.AfterProcessing))
        {
            await _cluster.ReconcileAsync(TestCluster.Fast() with { Release = new Whereabouts.Ipam.IpamOptions { DelTimeout = TimeSpan.FromMilliseconds(300), InitialBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(20) } });
        }

        foreach (var (pool, alive) in live)
        {
            var now = _cluster.Allocations(pool);
            Assert.All(alive, a => Assert.Equal(a.Value, now[a.Key]));
            Assert.All(now.Keys, k => Assert.True(alive.ContainsKey(k) || int.Parse(k, System.Globalization.CultureInfo.InvariantCulture) % 3 != 0));
        }

        var (second, _) = await _cluster.ReconcileAsync();

        Assert.Equal(0, second.Errors);
        Assert.All(live, p => Assert.Equal(p.Value.Keys.Order(), _cluster.Allocations(p.Key).Keys.Order()));
    }
}
