namespace Whereabouts.Ipam.Tests;

/// <summary>
/// One engine serving many ADDs at once (the node agent): they aim at different addresses from their first attempt,
/// and a node's agent that loses races to other nodes in a shared range searches it from its own point.
/// </summary>
public sealed class IpamServiceInFlightTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/24");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AllocateAsync_ManyAtOnceInOneEngine_EachReservationCreatedOnceAndEveryAddressDistinct()
    {
        // Every create waits until all 20 ADDs have chosen: without the in-process claims all would aim at 10.0.0.1.
        var chosen = 0;
        var allChose = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _store.Reservations.BeforeCreate = async (_, _) =>
        {
            if (Interlocked.Increment(ref chosen) == 20)
            {
                allChose.SetResult();
            }

            await allChose.Task.WaitAsync(TimeSpan.FromSeconds(10));
        };
        var service = Services.Over(_store);

        var addresses = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() => service.AddAsync(Config, Pods.Pod(i)))));

        Assert.Equal(20, addresses.Distinct().Count());
        Assert.Equal(20, _store.CallCount(FakeOperation.CreateReservation));
        Assert.Equal(
            Enumerable.Range(1, 20).Select(i => Ip.Parse($"10.0.0.{i}")).Order(),
            addresses.Order());
    }

    [Fact]
    public async Task AllocateAsync_OnlyAddressesOtherAddsAimAtAreLeft_WaitsForTheirOutcomeInsteadOfReportingExhaustion()
    {
        var tiny = Configs.Of("10.1.0.0/30");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        _store.Reservations.BeforeCreate = async (_, _) =>
        {
            if (first)
            {
                first = false;
                await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
                throw new StoreUnavailableException("the first ADD's store call fails", isTransient: false);
            }
        };
        var service = Services.Over(_store);
        var one = Task.Run(() => service.AddAsync(tiny, Pods.Pod(1)));
        await Eventually(() => _store.CallCount(FakeOperation.CreateReservation) == 1);

        // .1 is the first ADD's claim and .2 is free: the second takes .2; the third finds only the claim.
        Assert.Equal(Ip.Parse("10.1.0.2"), await service.AddAsync(tiny, Pods.Pod(2)));
        var three = Task.Run(() => service.AddAsync(tiny, Pods.Pod(3)));
        release.SetResult();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => one);
        Assert.Equal(Ip.Parse("10.1.0.1"), await three);
    }

    [Fact]
    public async Task AllocateAsync_SpreadKeyWithoutContention_LowestFreeAsUpstream()
    {
        var service = Services.Over(_store, Services.Fast with { SpreadKey = "node-a" });

        Assert.Equal(Ip.Parse("10.0.0.1"), await service.AddAsync(Config, Pods.Pod(1)));
        Assert.Equal(Ip.Parse("10.0.0.2"), await service.AddAsync(Config, Pods.Pod(2)));
    }

    [Fact]
    public async Task AllocateAsync_SpreadKeyAfterALostRace_StartsWhereTheKeySaysUntilTheMemoryFades()
    {
        var wide = Configs.Of("10.2.0.0/16");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        string? lost = null;
        _store.Reservations.BeforeCreate = (name, _) =>
        {
            if (lost is null)
            {
                lost = name;
                _store.Reservations.Seed(name, "ns/rival-on-another-node", "net1");
            }

            return Task.CompletedTask;
        };
        var nodeA = Services.Over(_store, Services.Fast with { SpreadKey = "node-a" }, clock);
        var nodeB = Services.Over(_store, Services.Fast with { SpreadKey = "node-b" });
        var first = Ip.Parse("10.2.0.1").Value;
        var usable = (UInt128)65534;

        Assert.Equal(first + SpreadStart.For("node-a", usable), (await nodeA.AddAsync(wide, Pods.Pod(1))).Value);
        Assert.Equal(first + SpreadStart.For("node-a", usable) + 1, (await nodeA.AddAsync(wide, Pods.Pod(2))).Value);

        // The rival's ADD failed after all; node B never lost a race here: lowest first.
        Assert.True(_store.Reservations.Remove(lost!));
        Assert.Equal(first, (await nodeB.AddAsync(wide, Pods.Pod(3))).Value);

        clock.Advance(SharedRangeContention.Memory);
        Assert.Equal(first + 1, (await nodeA.AddAsync(wide, Pods.Pod(4))).Value);
    }

    [Fact]
    public async Task AllocateAsync_LosesAgainWhereTheKeyPointed_JumpsElsewhere()
    {
        var wide = Configs.Of("10.3.0.0/16");
        var losses = 0;
        _store.Reservations.BeforeCreate = (name, _) =>
        {
            if (losses++ < 2)
            {
                _store.Reservations.Seed(name, $"ns/rival-{losses}", "net1");
            }

            return Task.CompletedTask;
        };
        var service = Services.Over(_store, Services.Fast with { SpreadKey = "node-a" });
        var first = Ip.Parse("10.3.0.1").Value;
        var keyPoint = first + SpreadStart.For("node-a", 65534);

        var chosen = await service.AddAsync(wide, Pods.Pod(1));

        Assert.Equal(3, losses);
        Assert.NotEqual(first, chosen.Value);
        Assert.NotEqual(keyPoint, chosen.Value);
        Assert.NotEqual(keyPoint + 1, chosen.Value);
    }

    /// <summary>The agent sends a DEL's reservation lookup beside its pool write; a plugin process sends it after (one connection).</summary>
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task ReleaseAsync_OverlapRequests_LookupSentBeforeThePoolWriteOnlyWhenAllowed(bool overlap, int lookupsBeforeWrite)
    {
        var service = Services.Over(_store, Services.Fast with { OverlapRequests = overlap });
        await service.AddAsync(Config, Pods.Pod(1));
        var seen = -1;
        _store.Pools.BeforeUpdate = (_, _) =>
        {
            seen = _store.CallCount(FakeOperation.FindReservations);
            return Task.CompletedTask;
        };

        Assert.Equal(1, await service.DelAsync(Config, Pods.Pod(1)));

        Assert.Equal(lookupsBeforeWrite, seen);
        Assert.Equal(1, _store.CallCount(FakeOperation.FindReservations));
        Assert.Empty(_store.Reservations.All());
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met within 10 s");
            await Task.Delay(5);
        }
    }
}
