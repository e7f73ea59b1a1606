using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

public sealed class SizeLimitTests
{
    private static readonly PoolKey Key = PoolKey.For(Cidr.Parse("10.0.0.0/16"), null);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryUpdateAsync_PoolAtThePracticalMaximum_RefusesTheNextAllocationWithoutWriting()
    {
        await using var cluster = await Cluster.StartAsync();
        const int max = TypicalAllocations.PracticalMaximum;
        cluster.PlantTypicalPool(Key.Name, "10.0.0.0/16", max - 1);
        var store = cluster.OpenStore();
        var snapshot = (await store.Pools.GetAsync(Key, Ct))!;

        // The last allocation that fits is stored by the server (which, unlike a real one, keeps no managedFields).
        Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(max, TypicalAllocations.At(max)), Ct));
        snapshot = (await store.Pools.GetAsync(Key, Ct))!;
        var ex = await Assert.ThrowsAsync<StoreLimitExceededException>(
            () => store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(max + 1, TypicalAllocations.At(max + 1)), Ct));

        Assert.Contains("IPPool 10.0.0.0-16 would hold 7674 allocations", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1,572,864 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("split range 10.0.0.0/16", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, cluster.Counters.Get("patch", "ippools"));
        Assert.Equal(max, Json.Allocations(cluster.Pool(Key.Name)).Count);
    }

    [Fact]
    public async Task TryUpdateAsync_ServerRefusesTheObjectAsTooLarge_IsLimitExceeded()
    {
        await using var cluster = await Cluster.StartAsync(new KubeApiServerOptions { MaxObjectBytes = 4096 });
        var store = cluster.OpenStore();
        await store.Pools.GetOrCreateAsync(Key, Ct);

        var ex = await Assert.ThrowsAsync<StoreLimitExceededException>(async () =>
        {
            for (var offset = 1; offset < 100; offset++)
            {
                var snapshot = (await store.Pools.GetAsync(Key, Ct))!;
                Assert.True(await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert((UInt128)offset, TypicalAllocations.At(offset)), Ct));
            }
        });

        Assert.Contains("etcdserver: request is too large", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(await store.Pools.GetAsync(Key, Ct));
    }

    [Fact]
    public async Task AllocateAsync_FullSizedPool_FailsAtOnceAndLeavesNoReservation()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.PlantTypicalPool(Key.Name, "10.0.0.0/16", TypicalAllocations.PracticalMaximum);
        var service = Services.Ipam(cluster.OpenStore());

        var ex = await Assert.ThrowsAsync<StoreLimitExceededException>(
            () => service.AllocateAsync(Services.Request(Services.Config("10.0.0.0/16"), "c-new", "ns/new"), Ct));

        Assert.Contains("10.0.0.0-16", ex.Message, StringComparison.Ordinal);
        Assert.Empty(cluster.Reservations());
        Assert.Equal(TypicalAllocations.PracticalMaximum, Json.Allocations(cluster.Pool(Key.Name)).Count);
    }
}
