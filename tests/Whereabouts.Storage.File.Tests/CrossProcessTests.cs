namespace Whereabouts.Storage.File.Tests;

/// <summary>Several processes on one data directory, as concurrent CNI invocations on one node are.</summary>
public sealed class CrossProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TryCreateAsync_FourProcessesRaceForOneName_ExactlyOneWinsAndTheOthersSeeIt()
    {
        var go = _dir.Sub("go");
        var peers = new List<PeerProcess>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                peers.Add(await PeerProcess.StartAsync("create-reservation", _dir.Path, "10.0.0.1", $"ns/peer{i}", go));
            }

            await System.IO.File.WriteAllTextAsync(go, "go", TestContext.Current.CancellationToken);
            var lines = await Task.WhenAll(peers.Select(p => p.ReadLineAsync()));
            await System.IO.File.WriteAllTextAsync(go + ".done", "done", TestContext.Current.CancellationToken);
            Assert.All(await Task.WhenAll(peers.Select(p => p.FinishAsync())), Assert.Empty);

            var winner = Assert.Single(lines.Select((line, i) => (line, i)), p => p.line == "created").i;
            Assert.All(lines.Where(l => l != "created"), l => Assert.Equal($"exists ns/peer{winner}", l));
            await using var store = new FileIpamStore(_dir.Path);
            Assert.Equal($"ns/peer{winner}", (await store.Reservations.GetAsync("10.0.0.1", TestContext.Current.CancellationToken))?.PodRef);
            Assert.Equal(["10.0.0.1.json"], Stores.Files(_dir.Reservations));
        }
        finally
        {
            peers.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task AllocateAsync_TwoProcessesAndThisOneAtOnce_DistinctAddressesAndConsistentReservations()
    {
        var go = _dir.Sub("go");
        var config = Stores.Config();
        using var first = await PeerProcess.StartAsync("allocate", _dir.Path, "10.0.0.0/24", "0", "15", go);
        using var second = await PeerProcess.StartAsync("allocate", _dir.Path, "10.0.0.0/24", "15", "15", go);

        await System.IO.File.WriteAllTextAsync(go, "go", TestContext.Current.CancellationToken);
        var local = Enumerable.Range(30, 10).Select(n => Task.Run(async () =>
        {
            await using var store = new FileIpamStore(_dir.Path);
            var result = await Stores.Service(store).AllocateAsync(
                new Ipam.AllocationRequest(config, new AllocationOwner($"c{n}", $"ns/peer{n}", "net1")), CancellationToken.None);
            return result[0].Address.ToString();
        }));
        var addresses = (await first.FinishAsync()).Concat(await second.FinishAsync()).Concat(await Task.WhenAll(local)).ToList();

        Assert.Equal(40, addresses.Distinct().Count());
        var held = await Stores.AssertConsistentAsync(_dir, config, 40);
        Assert.Equal(addresses.Order(), held.Keys.Select(ip => ip.ToString()).Order());
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"10.0.0.{i}").Order(), addresses.Order());
    }
}
