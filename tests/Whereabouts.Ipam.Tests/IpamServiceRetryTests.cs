using Microsoft.Extensions.Time.Testing;

namespace Whereabouts.Ipam.Tests;

/// <summary>Compare-and-swap conflicts and transient store errors are retried with backoff inside the deadline; the rest fail at once.</summary>
public sealed class IpamServiceRetryTests : IAsyncDisposable
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/28");

    private readonly FakeIpamStore _store = new();

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    public static TheoryData<FakeOperation> AllocationOperations =>
        [FakeOperation.GetOrCreatePool, FakeOperation.UpdatePool, FakeOperation.CreateReservation];

    public static TheoryData<string> PermanentErrors => ["denied", "limit", "data", "local-disk"];

    [Fact]
    public async Task AllocateAsync_WriteConflicts_ReReadsAndWritesAgainUntilItSticks()
    {
        _store.Pools.ForceConflicts(4);
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.1"), await service.AddAsync(Config, Pod(1)));

        Assert.Equal(5, _store.CallCount(FakeOperation.UpdatePool));
        Assert.Equal(5, _store.CallCount(FakeOperation.GetOrCreatePool));
    }

    [Fact]
    public async Task AllocateAsync_ConcurrentWriterTakesTheAddress_DecidesAgainOnTheFreshPool()
    {
        var key = Services.KeyOf(Config);
        var racing = 2;
        _store.Pools.BeforeUpdate = (_, _) =>
        {
            if (racing > 0)
            {
                _store.Pools.Apply(key, PoolChange.Upsert((UInt128)(3 - racing), new PoolAllocation($"r{racing}", $"ns/rival{racing}", "net1")));
                racing--;
            }

            return Task.CompletedTask;
        };
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.3"), await service.AddAsync(Config, Pod(1)));

        Assert.Equal(["ns/rival2", "ns/rival1", "ns/pod1"], _store.Held(Config).OrderBy(h => h.Key).Select(h => h.Value.PodRef));
    }

    [Fact]
    public async Task AllocateAsync_ConcurrentWriterOfAnotherEntry_KeepsTheFirstChoiceAndBoth()
    {
        _store.RaceNextWrite(Services.KeyOf(Config), 9, new PoolAllocation("r", "ns/rival", "net1"));
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.1"), await service.AddAsync(Config, Pod(1)));
        Assert.Equal(["10.0.0.1", "10.0.0.9"], _store.Held(Config).Keys.Order().Select(ip => ip.ToString()));
    }

    [Theory]
    [MemberData(nameof(AllocationOperations))]
    public async Task AllocateAsync_TransientErrors_AreRetried(FakeOperation operation)
    {
        _store.FailNext(operation, () => new StoreUnavailableException("busy"), times: 3);
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.1"), await service.AddAsync(Config, Pod(1)));

        Assert.Equal(4, _store.CallCount(operation));
        Assert.Single(_store.Held(Config));
    }

    [Theory]
    [MemberData(nameof(PermanentErrors))]
    public async Task AllocateAsync_PermanentError_FailsAtOnceWithoutRetrying(string kind)
    {
        var error = Permanent(kind);
        _store.FailNext(FakeOperation.UpdatePool, () => error, times: 10);
        var service = Services.Over(_store);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => service.AddAsync(Config, Pod(1)));

        Assert.Same(error, thrown);
        Assert.Equal(1, _store.CallCount(FakeOperation.UpdatePool));
        Assert.Empty(_store.Reservations.All());
    }

    [Fact]
    public async Task AllocateAsync_WriteAppliedButAnswerLost_FindsItsOwnEntryAndSucceeds()
    {
        _store.FailNextAfterApplying(FakeOperation.UpdatePool, () => new StoreUnavailableException("timeout"));
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.1"), await service.AddAsync(Config, Pod(1)));

        Assert.Equal("ns/pod1", Assert.Single(_store.Held(Config)).Value.PodRef);
        Assert.Equal("ns/pod1", _store.Reservations.Peek("10.0.0.1")?.PodRef);
    }

    [Fact]
    public async Task AllocateAsync_ReservationCreatedButAnswerLost_ReusesItsOwnReservation()
    {
        _store.FailNextAfterApplying(FakeOperation.CreateReservation, () => new StoreUnavailableException("timeout"));
        var service = Services.Over(_store);

        Assert.Equal(Ip.Parse("10.0.0.1"), await service.AddAsync(Config, Pod(1)));

        Assert.Equal("ns/pod1", _store.Reservations.Peek("10.0.0.1")?.PodRef);
    }

    [Fact]
    public async Task AllocateAsync_StoreAsksToWait_NextAttemptComesNoSoonerThanRetryAfter()
    {
        var time = new FakeTimeProvider();
        var store = new FakeIpamStore(time);
        store.FailNext(FakeOperation.GetOrCreatePool, () => new StoreUnavailableException("throttled", retryAfter: TimeSpan.FromSeconds(10)));
        var service = Services.Over(store, Services.Fast with { AddTimeout = TimeSpan.FromMinutes(1) }, time);

        await FakeClock.RunAsync(time, service.AddAsync(Config, Pod(1)), TimeSpan.FromMilliseconds(250));

        var reads = store.Calls.Where(c => c.Operation == FakeOperation.GetOrCreatePool).Select(c => c.At).ToList();
        Assert.Equal(2, reads.Count);
        Assert.True(reads[1] - reads[0] >= TimeSpan.FromSeconds(10), $"retried after {reads[1] - reads[0]}");
    }

    [Fact]
    public async Task AllocateAsync_ConflictsForever_GivesUpAtTheDeadlineAsUnavailable()
    {
        var time = new FakeTimeProvider();
        var store = new FakeIpamStore(time);
        store.Pools.ForceConflicts(int.MaxValue);
        var options = Services.Fast with { AddTimeout = TimeSpan.FromSeconds(30), InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromSeconds(2) };
        var service = Services.Over(store, options, time);
        var started = time.GetUtcNow();

        var add = service.AddAsync(Config, Pod(1));
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => FakeClock.RunAsync(time, add, TimeSpan.FromMilliseconds(200)));

        Assert.Contains("30 s", error.Message, StringComparison.Ordinal);
        Assert.InRange(time.GetUtcNow() - started, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(32));
        Assert.True(store.CallCount(FakeOperation.UpdatePool) > 5);
        Assert.Empty(store.Reservations.All());
    }

    [Fact]
    public async Task AllocateAsync_TransientErrorsForever_GivesUpAtTheDeadlineWithTheLastError()
    {
        _store.FaultPolicy = op => op == FakeOperation.GetOrCreatePool ? new StoreUnavailableException("etcd leader lost") : null;
        var service = Services.Over(_store, Services.Fast with { AddTimeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => service.AddAsync(Config, Pod(1)));

        Assert.Contains("etcd leader lost", error.Message, StringComparison.Ordinal);
        Assert.True(_store.CallCount(FakeOperation.GetOrCreatePool) > 2);
    }

    [Fact]
    public async Task AllocateAsync_SlowStorePastTheDeadline_IsUnavailable()
    {
        _store.Latency = TimeSpan.FromSeconds(30);
        var service = Services.Over(_store, Services.Fast with { AddTimeout = TimeSpan.FromMilliseconds(100) });

        await Assert.ThrowsAsync<StoreUnavailableException>(() => service.AddAsync(Config, Pod(1)));
    }

    [Fact]
    public async Task AllocateAsync_CallerCancels_IsCancellationNotUnavailable()
    {
        _store.Pools.ForceConflicts(int.MaxValue);
        var service = Services.Over(_store);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => service.AllocateAsync(new AllocationRequest(Config, Pod(1)), cancel.Token));
    }

    [Fact]
    public async Task AllocateAsync_BackoffBetweenConflicts_StaysUnderTheDoublingCeiling()
    {
        var time = new FakeTimeProvider();
        var store = new FakeIpamStore(time);
        store.Pools.ForceConflicts(6);
        var options = Services.Fast with { AddTimeout = TimeSpan.FromMinutes(5), InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(4) };
        var service = Services.Over(store, options, time);

        await FakeClock.RunAsync(time, service.AddAsync(Config, Pod(1)), TimeSpan.FromMilliseconds(50));

        var writes = store.Calls.Where(c => c.Operation == FakeOperation.UpdatePool).Select(c => c.At).ToList();
        Assert.Equal(7, writes.Count);
        var gaps = writes.Zip(writes.Skip(1), (a, b) => b - a).ToList();
        for (var i = 0; i < gaps.Count; i++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Min(1 << i, 4));
            Assert.True(gaps[i] <= ceiling + TimeSpan.FromMilliseconds(100), $"gap {i} was {gaps[i]}, over {ceiling}");
        }

        Assert.True(gaps.Sum(g => g.TotalMilliseconds) > 0, "no backoff at all between conflicting writes");
    }

    [Theory]
    [MemberData(nameof(PermanentErrors))]
    public async Task ReleaseAsync_PermanentError_FailsWithoutRetrying(string kind)
    {
        var service = Services.Over(_store);
        await service.AddAsync(Config, Pod(1));
        _store.FailNext(FakeOperation.UpdatePool, () => Permanent(kind), times: 10);

        var error = await Assert.ThrowsAsync<ReleaseFailedException>(() => service.DelAsync(Config, Pod(1)));

        // A local disk error is not worth retrying within this DEL, but a later DEL may well succeed.
        Assert.Equal(kind == "local-disk", error.IsTransient);
        Assert.Equal(2, _store.CallCount(FakeOperation.UpdatePool));
    }

    [Fact]
    public async Task ReleaseAsync_TransientErrorsAndConflicts_AreRetried()
    {
        var service = Services.Over(_store);
        await service.AddAsync(Config, Pod(1));
        _store.FailNext(FakeOperation.GetPool, () => new StoreUnavailableException("busy"), times: 2);
        _store.FailNext(FakeOperation.DeleteReservation, () => new StoreUnavailableException("busy"), times: 2);
        _store.Pools.ForceConflicts(2);

        Assert.Equal(1, await service.DelAsync(Config, Pod(1)));

        Assert.Empty(_store.Pools.Entries());
        Assert.Empty(_store.Reservations.All());
    }

    private static Exception Permanent(string kind) => kind switch
    {
        "denied" => new StoreAccessDeniedException("denied"),
        "limit" => new StoreLimitExceededException("too large"),
        "data" => new StoreDataException("damaged"),
        _ => new StoreUnavailableException("disk error", isTransient: false),
    };
}
