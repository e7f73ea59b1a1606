using System.Globalization;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Tests.Support;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

public sealed class ConcurrencyTests
{
    private const int Nodes = 10;
    private const int CallersPerNode = 10;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AllocateAsync_100CallersOn10NodesWithLatencyAndConflicts_AllDistinctAndConsistent()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(5));
        using var poolConflicts = cluster.Faults.FailFraction(0.05, 409, "patch", "ippools");
        using var reservationConflicts = cluster.Faults.FailFraction(0.05, 409, "create", "overlappingrangeipreservations");
        var config = Services.Config("10.20.0.0/24");

        var results = await RunAsync(cluster, config, Nodes * CallersPerNode);

        var addresses = results.Select(r => Assert.IsType<Ip>(r.Address)).ToList();
        Assert.Equal(Nodes * CallersPerNode, addresses.Distinct().Count());
        Assert.True(poolConflicts.Triggered > 0 && reservationConflicts.Triggered > 0);
        AssertConsistent(cluster, "10.20.0.0-24", Ip.Parse("10.20.0.0"), Nodes * CallersPerNode);
    }

    /// <summary>
    /// With cluster-wide reservations, writers rarely meet on the pool (each holds its address's reservation before it
    /// writes), so the pool's own guards are exercised here without them: every writer aims at the same lowest free
    /// address, and only the server's JSON Patch tests (422) keep them apart.
    /// </summary>
    [Fact]
    public async Task AllocateAsync_100CallersWithoutReservations_CollideOnThePoolAndStillGetDistinctAddresses()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(5));
        var config = Services.Config("10.21.0.0/24", overlapping: false);

        var results = await RunAsync(cluster, config, Nodes * CallersPerNode);

        var addresses = results.Select(r => Assert.IsType<Ip>(r.Address)).ToList();
        Assert.Equal(Nodes * CallersPerNode, addresses.Distinct().Count());
        Assert.True(cluster.Counters.Get("patch", "ippools", 422) > 0, "concurrent writers never collided on the pool");
        var allocations = Json.Allocations(cluster.Pool("10.21.0.0-24"));
        Assert.Equal(Nodes * CallersPerNode, allocations.Count);
        Assert.Equal(Nodes * CallersPerNode, allocations.Select(static a => (string)a.Value!["podref"]!).Distinct().Count());
        Assert.Empty(cluster.Reservations());
    }

    [Fact]
    public async Task AllocateAsync_MoreCallersThanAddresses_ExactlyAsManySucceedAndTheRestAreExhausted()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(5));
        var config = Services.Config("10.30.0.0/24", rangeStart: "10.30.0.1", rangeEnd: "10.30.0.12");

        var results = await RunAsync(cluster, config, 15);

        Assert.Equal(12, results.Count(r => r.Address is not null));
        var failures = results.Where(r => r.Error is not null).Select(r => r.Error!).ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Contains("10.30.0.0/24", Assert.IsType<PoolExhaustedException>(f).Message, StringComparison.Ordinal));
        AssertConsistent(cluster, "10.30.0.0-24", Ip.Parse("10.30.0.0"), 12);
    }

    /// <summary>Runs <paramref name="callers"/> ADDs at once, spread over <see cref="Nodes"/> stores (one connection per node).</summary>
    private static async Task<(Ip? Address, Exception? Error)[]> RunAsync(Cluster cluster, Whereabouts.Core.Config.IpamConfig config, int callers)
    {
        var services = Enumerable.Range(0, Nodes).Select(n => Services.Ipam(cluster.OpenStore(nodeName: $"node-{n}"), addTimeout: TimeSpan.FromSeconds(60))).ToList();
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            start.Wait(Ct);
            try
            {
                var addresses = await services[i % Nodes].AllocateAsync(Services.Request(config, $"container-{i:000}", $"ns/pod-{i:000}"), Ct);
                return ((Ip?)addresses[0].Address, (Exception?)null);
            }
            catch (IpamException ex)
            {
                return (null, ex);
            }
        })).ToList();
        start.Set();
        return await Task.WhenAll(tasks);
    }

    /// <summary>Every allocation has its reservation (same pod and interface) and every reservation its allocation.</summary>
    private static void AssertConsistent(Cluster cluster, string poolName, Ip baseAddress, int expected)
    {
        var allocations = Json.Allocations(cluster.Pool(poolName));
        Assert.Equal(expected, allocations.Count);
        var reservations = cluster.Reservations().ToDictionary(r => (string)r["metadata"]!["name"]!, r => r["spec"]!);
        Assert.Equal(expected, reservations.Count);
        foreach (var (key, value) in allocations)
        {
            Assert.True(baseAddress.TryAdd(UInt128.Parse(key, CultureInfo.InvariantCulture), out var address));
            var reservation = reservations[ObjectNames.OverlappingReservation(address)];
            Assert.Equal((string)value!["podref"]!, (string)reservation!["podref"]!);
            Assert.Equal((string)value["ifname"]!, (string)reservation["ifname"]!);
            Assert.Equal((string)value["id"]!, (string)reservation["containerid"]!);
        }
    }
}
