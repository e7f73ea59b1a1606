namespace Whereabouts.Storage.File.Tests;

/// <summary>The allocation service over the file datastore under load from one process.</summary>
public sealed class FileIpamServiceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AllocateThenRelease_FiftyParallelCallers_FiftyDistinctAddressesThenNothingLeft()
    {
        var config = Stores.Config();
        var owners = Enumerable.Range(0, 50).Select(n => new AllocationOwner($"c{n}", $"ns/pod{n}", "net1")).ToList();

        // Every caller opens its own store, as every CNI invocation does.
        var addresses = await Task.WhenAll(owners.Select(owner => Task.Run(async () =>
        {
            await using var store = new FileIpamStore(_dir.Path);
            return (await Stores.Service(store).AllocateAsync(new Ipam.AllocationRequest(config, owner), CancellationToken.None))[0].Address;
        })));

        Assert.Equal(Enumerable.Range(1, 50).Select(i => Ip.Parse($"10.0.0.{i}")), addresses.Order());
        var held = await Stores.AssertConsistentAsync(_dir, config, 50);
        Assert.All(owners.Zip(addresses), p => Assert.Equal(p.First.ToAllocation(), held[p.Second]));

        var released = await Task.WhenAll(owners.Select(owner => Task.Run(async () =>
        {
            await using var store = new FileIpamStore(_dir.Path);
            return await Stores.Service(store).ReleaseAsync(config, owner.ContainerId, owner.IfName, CancellationToken.None);
        })));

        Assert.All(released, r => Assert.Equal(1, r));
        await Stores.AssertConsistentAsync(_dir, config, 0);
    }

    [Fact]
    public async Task AllocateAsync_SecondAddForTheSamePod_ReturnsTheSameAddressFromDisk()
    {
        var config = Stores.Config();
        await using var first = new FileIpamStore(_dir.Path);
        var a = await Stores.Service(first).AllocateAsync(new Ipam.AllocationRequest(config, Stores.Owner), CancellationToken.None);

        await using var second = new FileIpamStore(_dir.Path);
        var b = await Stores.Service(second).AllocateAsync(new Ipam.AllocationRequest(config, Stores.Owner with { ContainerId = "c1-new" }), CancellationToken.None);

        Assert.Equal(a[0].Address, b[0].Address);
        var held = await Stores.AssertConsistentAsync(_dir, config, 1);
        Assert.Equal("c1-new", held[a[0].Address].ContainerId);
    }
}
