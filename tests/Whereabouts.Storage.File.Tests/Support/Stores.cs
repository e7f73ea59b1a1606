using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Core.Config;
using Whereabouts.Core.Naming;
using Whereabouts.Ipam;

namespace Whereabouts.Storage.File.Tests.Support;

internal static class Stores
{
    public static readonly PoolKey Key = PoolKey.For(Cidr.Parse("10.0.0.0/24"), null);

    public static readonly AllocationOwner Owner = new("c1", "ns/pod1", "net1");

    public static IpamConfig Config(string subnet = "10.0.0.0/24", string? network = null) => new()
    {
        NetworkName = "filenet",
        CniVersion = "1.0.0",
        Ranges = [new RangeConfig(Cidr.Parse(subnet), null, null, [], "range")],
        PoolNetworkName = network,
    };

    public static IpamService Service(FileIpamStore store) => new(store, NullLogger.Instance);

    public static string PoolFile(TempDir dir, PoolKey key) => dir.Sub("pools", key.Name + ".json");

    public static string ReservationFile(TempDir dir, Ip address, string? network = null) =>
        dir.Sub("reservations", ObjectNames.OverlappingReservation(address, network) + ".json");

    /// <summary>Every file below <paramref name="directory"/>, relative and sorted.</summary>
    public static IReadOnlyList<string> Files(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// The pool holds <paramref name="count"/> distinct addresses, one per pod, each covered by its pod's reservation,
    /// and no reservation or temporary file exists beyond them. Returns the allocations by address.
    /// </summary>
    public static async Task<Dictionary<Ip, PoolAllocation>> AssertConsistentAsync(TempDir dir, IpamConfig config, int count)
    {
        await using var store = new FileIpamStore(dir.Path);
        var key = PoolKey.For(config.Ranges[0].Subnet, config.PoolNetworkName);
        var pool = await store.Pools.GetAsync(key, CancellationToken.None);
        var held = (pool?.Allocations ?? new Dictionary<UInt128, PoolAllocation>())
            .ToDictionary(a => new Ip(pool!.Base.Value + a.Key, pool.Base.Family), a => a.Value);
        Assert.Equal(count, held.Count);
        Assert.Equal(count, held.Values.Select(a => a.PodRef).Distinct().Count());
        foreach (var (address, allocation) in held)
        {
            var reservation = await store.Reservations.GetAsync(ObjectNames.OverlappingReservation(address, config.PoolNetworkName), CancellationToken.None);
            Assert.True(reservation?.IsOwnedBy(allocation.PodRef, allocation.IfName) == true, $"{address} of {allocation.PodRef} is reserved by {reservation?.PodRef ?? "nobody"}");
        }

        Assert.Equal(count, Files(dir.Reservations).Count(f => f.EndsWith(".json", StringComparison.Ordinal)));
        Assert.DoesNotContain(Files(dir.Path), f => f.Contains(".tmp.", StringComparison.Ordinal));
        return held;
    }
}
