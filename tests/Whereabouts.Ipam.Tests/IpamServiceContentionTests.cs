namespace Whereabouts.Ipam.Tests;

/// <summary>
/// Contention on a remote datastore: losers of repeated races spread out instead of queueing on the next address, a
/// range that only looks full because of withdrawn claims is looked at again, and a release whose write answer was
/// lost still releases its reservations.
/// </summary>
public sealed class IpamServiceContentionTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/24");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AllocateAsync_RivalsClaimEveryChoiceTwice_SpreadsAmongTheLowestFreeAddresses()
    {
        // Rivals claim whatever this ADD aims at, twice; then it must stop aiming at the lowest address.
        var claims = 0;
        _store.Reservations.BeforeCreate = (name, _) =>
        {
            if (claims++ < 2)
            {
                _store.Reservations.Seed(name, $"ns/rival{claims}", "net1");
            }

            return Task.CompletedTask;
        };
        var service = Services.Over(_store, Services.Fast with { SpreadAfterCollisions = 2 });

        var chosen = new HashSet<Ip>();
        for (var i = 0; i < 20; i++)
        {
            claims = 0;
            var pod = Pods.Pod(i);
            chosen.Add(await service.AddAsync(Config, pod));
            await service.DelAsync(Config, pod);
        }

        // Without spreading every run would land on 10.0.0.3 (.1 and .2 lost to rivals).
        Assert.True(chosen.Count > 3, $"always chose {string.Join(", ", chosen)}");
        Assert.All(chosen, ip => Assert.InRange(ip.Value - Ip.Parse("10.0.0.0").Value, (UInt128)1, (UInt128)(2 + 2 + 32)));
    }

    [Fact]
    public async Task AllocateAsync_WithoutSpreading_AlwaysTheLowestFreeAddress()
    {
        var claims = 0;
        _store.Reservations.BeforeCreate = (name, _) =>
        {
            if (claims++ < 3)
            {
                _store.Reservations.Seed(name, $"ns/rival{claims}", "net1");
            }

            return Task.CompletedTask;
        };
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.4"), await service.AddAsync(Config, Pods.Pod(1)));
    }

    [Fact]
    public async Task AllocateAsync_RangeFullOnlyBecauseOfAWithdrawnClaim_TakesTheFreedAddress()
    {
        var tiny = Configs.Of("10.1.0.0/30");
        var service = Services.Over(_store);
        Assert.Equal(Ip.Parse("10.1.0.1"), await service.AddAsync(tiny, Pods.Pod(1)));

        // A rival claims .2 just as this ADD aims at it, and has withdrawn the claim (its ADD failed) by the time this
        // ADD finds the range full.
        var seeded = false;
        _store.Reservations.BeforeCreate = (name, _) =>
        {
            if (!seeded && name == "10.1.0.2")
            {
                seeded = true;
                _store.Reservations.Seed(name, "ns/rival", "net1");
            }

            return Task.CompletedTask;
        };
        _store.FaultPolicy = operation =>
        {
            if (seeded && operation == FakeOperation.GetReservation)
            {
                _store.Reservations.Remove("10.1.0.2");
            }

            return null;
        };

        Assert.Equal(Ip.Parse("10.1.0.2"), await service.AddAsync(tiny, Pods.Pod(2)));
    }

    [Fact]
    public async Task ReleaseAsync_WriteAppliedButAnswerLost_StillReleasesTheReservation()
    {
        var service = Services.Over(_store);
        var pod = Pods.Pod(1);
        var ip = await service.AddAsync(Config, pod);
        Assert.NotNull(_store.Reservations.Peek(ip.ToString()));

        _store.FailNextAfterApplying(FakeOperation.UpdatePool, () => new StoreUnavailableException("connection reset"));
        Assert.Equal(1, await service.DelAsync(Config, pod));

        Assert.Empty(_store.Held(Config));
        Assert.Null(_store.Reservations.Peek(ip.ToString()));
    }

    [Fact]
    public async Task ReleaseAsync_AnswerLostAndThePodGotTheAddressBack_KeepsItsReservation()
    {
        var service = Services.Over(_store);
        var old = Pods.Pod(1);
        var ip = await service.AddAsync(Config, old);

        // The DEL's write is applied but its answer is lost; before the retry the pod is re-created and re-ADDed.
        var renewed = old with { ContainerId = "renewed" };
        _store.FailNextAfterApplying(FakeOperation.UpdatePool, () =>
        {
            service.AddAsync(Config, renewed).GetAwaiter().GetResult();
            return new StoreUnavailableException("connection reset");
        });
        await service.DelAsync(Config, old);

        Assert.Equal("renewed", Assert.Single(_store.Held(Config)).Value.ContainerId);
        Assert.NotNull(_store.Reservations.Peek(ip.ToString()));
    }

    [Fact]
    public async Task AllocateAsync_ClaimAnswerLostThenAddressTaken_WithdrawsTheClaim()
    {
        // The reservation for .1 is created but its answer is lost; the retry finds it "exists, yours". Then a rival
        // takes .1 in the pool, so this ADD moves on and must not leave the .1 reservation behind.
        _store.FailNextAfterApplying(FakeOperation.CreateReservation, () => new StoreUnavailableException("connection reset"));
        _store.RaceNextWrite(Services.KeyOf(Config), 1, new PoolAllocation("r", "ns/rival", "net1"));
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.2"), await service.AddAsync(Config, Pods.Pod(1)));

        Assert.Null(_store.Reservations.Peek("10.0.0.1"));
        Assert.NotNull(_store.Reservations.Peek("10.0.0.2"));
    }

    [Fact]
    public async Task AllocateAsync_ClaimAnswerLostAndAnotherAddressChosenOnRetry_WithdrawsTheLostClaim()
    {
        // The create of the .1 reservation happens but its answer is lost; before the retry a rival takes .1 in the pool,
        // so the retry goes straight to .2 and never sees the .1 reservation again.
        var lost = false;
        _store.FailNextAfterApplying(FakeOperation.CreateReservation, () =>
        {
            lost = true;
            return new StoreUnavailableException("connection reset");
        });
        _store.FaultPolicy = operation =>
        {
            if (lost && operation == FakeOperation.GetOrCreatePool)
            {
                lost = false;
                _store.Pools.Apply(Services.KeyOf(Config), PoolChange.Upsert(1, new PoolAllocation("r", "ns/rival", "net1")));
            }

            return null;
        };
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.2"), await service.AddAsync(Config, Pods.Pod(1)));

        Assert.Null(_store.Reservations.Peek("10.0.0.1"));
        Assert.NotNull(_store.Reservations.Peek("10.0.0.2"));
    }
}
