using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Core.Config;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam.Tests.Support;

/// <summary>Services over a fake store, with quick retries so that tests of failure paths stay fast.</summary>
internal static class Services
{
    public static IpamOptions Fast { get; } = new()
    {
        AddTimeout = TimeSpan.FromSeconds(5),
        DelTimeout = TimeSpan.FromSeconds(5),
        StatusTimeout = TimeSpan.FromSeconds(5),
        RollbackTimeout = TimeSpan.FromSeconds(5),
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(5),
    };

    public static IpamService Over(IIpamStore store, IpamOptions? options = null, TimeProvider? time = null) =>
        new(store, NullLogger.Instance, options ?? Fast, time);

    public static async Task<Ip> AddAsync(this IpamService service, IpamConfig config, AllocationOwner owner, params Ip[] requested)
    {
        var result = await service.AllocateAsync(new AllocationRequest(config, owner) { RequestedAddresses = requested }, CancellationToken.None);
        return Assert.Single(result).Address;
    }

    public static Task<int> DelAsync(this IpamService service, IpamConfig config, AllocationOwner owner) =>
        service.ReleaseAsync(config, owner.ContainerId, owner.IfName, CancellationToken.None);

    public static PoolKey KeyOf(IpamConfig config, int range = 0) => PoolKey.For(config.Ranges[range].Subnet, config.PoolNetworkName);

    /// <summary>The pool's allocations by address (empty when the pool does not exist).</summary>
    public static Dictionary<Ip, PoolAllocation> Held(this FakeIpamStore store, IpamConfig config, int range = 0)
    {
        var key = KeyOf(config, range);
        return store.Pools.Entries().Where(e => e.Pool == key.Name).ToDictionary(e => e.Address, e => e.Allocation);
    }

    /// <summary>Makes a rival write <paramref name="rival"/> at <paramref name="offset"/> just before the next pool write, which then conflicts.</summary>
    public static void RaceNextWrite(this FakeIpamStore store, PoolKey key, UInt128 offset, PoolAllocation rival)
    {
        var raced = false;
        store.Pools.BeforeUpdate = (_, _) =>
        {
            if (!raced)
            {
                raced = true;
                store.Pools.Apply(key, PoolChange.Upsert(offset, rival));
            }

            return Task.CompletedTask;
        };
    }
}
