using System.Text.Json;
using Whereabouts.Core.Naming;

namespace Whereabouts.Storage.File.Tests;

/// <summary>Where the file datastore puts things and what they look like on disk.</summary>
public sealed class FileLayoutTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AllocateAsync_OneRange_WritesOnePoolFileAndOneReservationFile()
    {
        await using var store = new FileIpamStore(_dir.Path);

        var result = await Stores.Service(store).AllocateAsync(new Ipam.AllocationRequest(Stores.Config(), Stores.Owner), TestContext.Current.CancellationToken);

        Assert.Equal(Ip.Parse("10.0.0.1"), Assert.Single(result).Address);
        Assert.Equal(["pools/10.0.0.0-24.json", "pools/10.0.0.0-24.lock", "reservations/10.0.0.1.json"], Stores.Files(_dir.Path));
    }

    [Theory]
    [InlineData("10.0.0.0/24", null, "10.0.0.0-24")]
    [InlineData("10.0.0.0/24", "blue", "blue-10.0.0.0-24")]
    [InlineData("fd00::/64", null, "fd00---64")]
    [InlineData("fd00::/64", "blue", "blue-fd00---64")]
    public async Task AllocateAsync_PoolFile_IsNamedLikeTheIpPool(string subnet, string? network, string expected)
    {
        await using var store = new FileIpamStore(_dir.Path);

        await Stores.Service(store).AllocateAsync(new Ipam.AllocationRequest(Stores.Config(subnet, network), Stores.Owner), TestContext.Current.CancellationToken);

        Assert.Equal(expected, ObjectNames.IpPool(Cidr.Parse(subnet), network));
        Assert.True(System.IO.File.Exists(_dir.Sub("pools", expected + ".json")), string.Join(", ", Stores.Files(_dir.Path)));
        var network1 = Cidr.Parse(subnet).Network;
        var reservation = ObjectNames.OverlappingReservation(network1 with { Value = network1.Value + 1 }, network);
        Assert.True(System.IO.File.Exists(_dir.Sub("reservations", reservation + ".json")), string.Join(", ", Stores.Files(_dir.Path)));
    }

    [Fact]
    public async Task PoolFile_Format_IsTheIpPoolSpecWithAVersion()
    {
        await using var store = new FileIpamStore(_dir.Path);
        var service = Stores.Service(store);
        await service.AllocateAsync(new Ipam.AllocationRequest(Stores.Config(), Stores.Owner), TestContext.Current.CancellationToken);
        await service.AllocateAsync(new Ipam.AllocationRequest(Stores.Config(), new AllocationOwner("c2", "ns/pod2", "eth1")), TestContext.Current.CancellationToken);

        var text = await System.IO.File.ReadAllTextAsync(Stores.PoolFile(_dir, Stores.Key), TestContext.Current.CancellationToken);

        Assert.Equal(
            """{"range":"10.0.0.0/24","version":3,"allocations":{"1":{"id":"c1","podref":"ns/pod1","ifname":"net1"},"2":{"id":"c2","podref":"ns/pod2","ifname":"eth1"}}}""",
            text);
    }

    [Fact]
    public async Task ReservationFile_Format_HoldsOwnerUidCreationTimeAndCreatorProcess()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var store = new FileIpamStore(_dir.Path, time);

        var claim = await store.Reservations.TryCreateAsync("10.0.0.7", Stores.Owner, TestContext.Current.CancellationToken);

        using var json = JsonDocument.Parse(await System.IO.File.ReadAllBytesAsync(_dir.Sub("reservations", "10.0.0.7.json"), TestContext.Current.CancellationToken));
        var root = json.RootElement;
        Assert.Equal(
            ["podref", "ifname", "containerid", "uid", "created", "pid", "pidstart"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ns/pod1", root.GetProperty("podref").GetString());
        Assert.Equal("net1", root.GetProperty("ifname").GetString());
        Assert.Equal("c1", root.GetProperty("containerid").GetString());
        Assert.Equal(claim.Reservation.Version, root.GetProperty("uid").GetString());
        Assert.Equal("2026-01-02T03:04:05.0000000+00:00", root.GetProperty("created").GetString());
        Assert.Equal(Environment.ProcessId, root.GetProperty("pid").GetInt32());
        Assert.True(root.GetProperty("pidstart").GetInt64() > 0);
        Assert.Equal(claim.Reservation, await store.Reservations.GetAsync("10.0.0.7", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Files_AreReadableByTheOwnerOnly()
    {
        await using var store = new FileIpamStore(_dir.Path);
        await Stores.Service(store).AllocateAsync(new Ipam.AllocationRequest(Stores.Config(), Stores.Owner), TestContext.Current.CancellationToken);

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, System.IO.File.GetUnixFileMode(Stores.PoolFile(_dir, Stores.Key)));
        Assert.Equal(ownerOnly, System.IO.File.GetUnixFileMode(Stores.ReservationFile(_dir, Ip.Parse("10.0.0.1"))));
        Assert.Equal(ownerOnly | UnixFileMode.UserExecute, System.IO.File.GetUnixFileMode(_dir.Pools));
        Assert.Equal(ownerOnly | UnixFileMode.UserExecute, System.IO.File.GetUnixFileMode(_dir.Reservations));
    }
}
