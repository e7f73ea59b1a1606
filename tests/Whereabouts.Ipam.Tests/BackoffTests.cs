using Microsoft.Extensions.Time.Testing;

namespace Whereabouts.Ipam.Tests;

public sealed class BackoffTests
{
    private static readonly IpamOptions Options = new() { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(8) };

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 8)]
    [InlineData(40, 8)]
    public async Task DelayAsync_AttemptN_EndsWithinTheDoublingCeilingCappedAtMax(int attempt, int ceilingSeconds)
    {
        var time = new FakeTimeProvider();
        var backoff = await AfterAttemptsAsync(time, attempt);

        var delay = backoff.DelayAsync(null, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(ceilingSeconds));

        await delay.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(attempt + 1, backoff.Attempts);
    }

    [Fact]
    public async Task DelayAsync_ManyCallers_AreSpreadAcrossTheCeilingByJitter()
    {
        var time = new FakeTimeProvider();
        var delays = Enumerable.Range(0, 200).Select(_ => new Backoff(Options, time).DelayAsync(null, CancellationToken.None)).ToList();

        time.Advance(TimeSpan.FromMilliseconds(500));
        await Task.Delay(10, TestContext.Current.CancellationToken);
        var early = delays.Count(d => d.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await Task.WhenAll(delays).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.InRange(early, 40, 160);
    }

    [Fact]
    public async Task DelayAsync_LaterAttempts_WaitLongerThanTheFirstCeilingOften()
    {
        var time = new FakeTimeProvider();
        var backoffs = new List<Backoff>();
        for (var i = 0; i < 100; i++)
        {
            backoffs.Add(await AfterAttemptsAsync(time, 3));
        }

        var delays = backoffs.Select(b => b.DelayAsync(null, CancellationToken.None)).ToList();
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(10, TestContext.Current.CancellationToken);
        var withinFirstCeiling = delays.Count(d => d.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(7));
        await Task.WhenAll(delays).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.InRange(withinFirstCeiling, 0, 40);
    }

    [Fact]
    public async Task DelayAsync_RetryAfterLongerThanTheCeiling_WaitsAtLeastRetryAfter()
    {
        var time = new FakeTimeProvider();
        var backoff = new Backoff(Options, time);

        var delay = backoff.DelayAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29.9));
        await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.False(delay.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(0.1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task DelayAsync_Cancelled_EndsAtOnce()
    {
        var backoff = new Backoff(Options with { InitialBackoff = TimeSpan.FromHours(1), MaxBackoff = TimeSpan.FromHours(1) }, TimeProvider.System);
        using var cancel = new CancellationTokenSource();

        var delay = backoff.DelayAsync(null, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
    }

    private static async Task<Backoff> AfterAttemptsAsync(FakeTimeProvider time, int attempts)
    {
        var backoff = new Backoff(Options, time);
        for (var i = 0; i < attempts; i++)
        {
            var delay = backoff.DelayAsync(null, CancellationToken.None);
            time.Advance(Options.MaxBackoff);
            await delay;
        }

        return backoff;
    }
}
