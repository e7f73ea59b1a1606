using Cronos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Whereabouts.Controller.Leases;
using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.NodeController;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Controller.Tests.Reconcile;

namespace Whereabouts.Controller.Tests.NodeController;

/// <summary><c>run --reconcile-schedule</c> on several replicas: the Lease lets exactly one run each occurrence.</summary>
public sealed class ScheduledReconcilerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 30, TimeSpan.Zero);

    private readonly SleepCountingClock _clock = new(Start);
    private readonly List<ControllerMetrics> _metrics = [];
    private TestCluster _cluster = null!;
    private int _passes;

    public async ValueTask InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var metrics in _metrics)
        {
            metrics.Dispose();
        }

        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task RunOnce_TwoReplicasAtTheSameOccurrence_ExactlyOneRuns()
    {
        var (a, _) = Replica("node-a");
        var (b, _) = Replica("node-b");
        var occurrence = new DateTimeOffset(2030, 1, 1, 12, 1, 0, TimeSpan.Zero);
        _clock.SetUtcNow(occurrence);

        var ran = await Task.WhenAll(a.RunOnceAsync(occurrence, Token), b.RunOnceAsync(occurrence, Token));

        Assert.Equal(1, ran.Count(r => r));
        Assert.Equal(1, _passes);
        var lease = _cluster.Store.Get("leases", TestCluster.Namespace, ScheduledReconciler.LeaseName)!;
        Assert.Equal(ran[0] ? "node-a" : "node-b", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal(30, (int)lease["spec"]!["leaseDurationSeconds"]!);
    }

    [Fact]
    public async Task RunOnce_LateReplicaAfterTheLeaseExpired_DoesNotRunTheSameOccurrenceAgain()
    {
        var (a, _) = Replica("node-a");
        var (b, _) = Replica("node-b");
        var occurrence = new DateTimeOffset(2030, 1, 1, 12, 1, 0, TimeSpan.Zero);
        _clock.SetUtcNow(occurrence);
        Assert.True(await a.RunOnceAsync(occurrence, Token));

        // Replica b's clock is behind: it reaches the same occurrence after a's hold has run out.
        _clock.Advance(TimeSpan.FromSeconds(45));
        Assert.False(await b.RunOnceAsync(occurrence, Token));

        var next = occurrence.AddMinutes(1);
        _clock.SetUtcNow(next);
        Assert.True(await b.RunOnceAsync(next, Token));
        Assert.Equal(2, _passes);
    }

    [Fact]
    public async Task RunOnce_HeldByAnotherReplica_Skips()
    {
        var (a, _) = Replica("node-a");
        var (b, leaseB) = Replica("node-b");
        var occurrence = new DateTimeOffset(2030, 1, 1, 12, 1, 0, TimeSpan.Zero);
        _clock.SetUtcNow(occurrence);
        Assert.True(await leaseB.TryAcquireAsync(occurrence.AddMinutes(-10), Token));

        Assert.False(await a.RunOnceAsync(occurrence, Token));
        Assert.Equal(0, _passes);
    }

    [Fact]
    public async Task RunAsync_ThreeReplicasOverTwoOccurrences_OnePassEach()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var loops = new[] { "node-a", "node-b", "node-c" }.Select(n => Replica(n).Scheduler.RunAsync(stop.Token)).ToList();
        await WaitForTimersAsync(3);

        _clock.SetUtcNow(new DateTimeOffset(2030, 1, 1, 12, 1, 0, TimeSpan.Zero));
        await Tests.NodeController.Eventually.TrueAsync(() => _passes == 1, "no pass ran");
        await WaitForTimersAsync(6);
        _clock.SetUtcNow(new DateTimeOffset(2030, 1, 1, 12, 2, 0, TimeSpan.Zero));
        await Tests.NodeController.Eventually.TrueAsync(() => _passes == 2, "no second pass");
        await Task.Delay(200, Token);

        Assert.Equal(2, _passes);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(loops));
        Assert.All(_metrics, m => Assert.NotNull(m.Registry));
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Waits until <paramref name="count"/> loop sleeps began in all, so that moving the clock wakes every loop.</summary>
    private Task WaitForTimersAsync(int count) =>
        Tests.NodeController.Eventually.TrueAsync(() => _clock.LongSleeps >= count, "the loops never went to sleep");

    private (ScheduledReconciler Scheduler, LeaseLock Lease) Replica(string node)
    {
        var lease = new LeaseLock(_cluster.Connect(), TestCluster.Namespace, ScheduledReconciler.LeaseName, node, TimeSpan.FromSeconds(30), _clock);
        var metrics = new ControllerMetrics();
        _metrics.Add(metrics);
        var scheduler = new ScheduledReconciler(
            CronExpression.Parse("* * * * *"),
            lease,
            async ct =>
            {
                Interlocked.Increment(ref _passes);
                await Task.Yield();
                return new ReconcileSummary();
            },
            metrics,
            _clock,
            NullLogger.Instance);
        return (scheduler, lease);
    }

    /// <summary>A fake clock that counts the sleeps longer than a Lease renewal: the loops waiting for an occurrence.</summary>
    private sealed class SleepCountingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private int _longSleeps;

        public int LongSleeps => Volatile.Read(ref _longSleeps);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime > TimeSpan.FromSeconds(15))
            {
                Interlocked.Increment(ref _longSleeps);
            }

            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
