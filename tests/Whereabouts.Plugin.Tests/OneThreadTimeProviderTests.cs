using System.Diagnostics;

namespace Whereabouts.Plugin.Tests;

public sealed class OneThreadTimeProviderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CancellationTokenSource_WithATimeout_IsCancelledWhenItIsDue()
    {
        var time = new OneThreadTimeProvider();
        var started = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(50), time);

        var cancelled = new TaskCompletionSource();
        using var registration = deadline.Token.Register(cancelled.SetResult);
        await cancelled.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(45));
    }

    [Fact]
    public async Task Timers_FireInTheOrderTheyAreDue_WhateverTheOrderTheyWereMade()
    {
        var time = new OneThreadTimeProvider();
        var order = new List<int>();
        var done = new TaskCompletionSource();
        void Record(object? state)
        {
            lock (order)
            {
                order.Add((int)state!);
                if (order.Count == 3)
                {
                    done.SetResult();
                }
            }
        }

        using var late = time.CreateTimer(Record, 3, TimeSpan.FromMilliseconds(150), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(Record, 1, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        using var middle = time.CreateTimer(Record, 2, TimeSpan.FromMilliseconds(80), Timeout.InfiniteTimeSpan);
        await done.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3], order);
    }

    [Fact]
    public async Task PeriodicTimer_FiresAgainUntilDisposed()
    {
        var time = new OneThreadTimeProvider();
        var count = 0;
        var thrice = new TaskCompletionSource();
        var timer = time.CreateTimer(_ =>
        {
            if (Interlocked.Increment(ref count) == 3)
            {
                thrice.SetResult();
            }
        }, null, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5));
        await thrice.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);

        timer.Dispose();
        var afterDispose = Volatile.Read(ref count);
        await Task.Delay(100, TestContext.Current.CancellationToken);

        // One callback may already have been due when Dispose ran, as with System.Threading.Timer.
        Assert.InRange(Volatile.Read(ref count), afterDispose, afterDispose + 1);
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public async Task Change_ToInfinite_StopsATimerThatWasNotDueYet_AndChangeBackStartsItAgain()
    {
        var time = new OneThreadTimeProvider();
        var fired = new TaskCompletionSource();
        using var timer = time.CreateTimer(_ => fired.TrySetResult(), null, TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);

        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        await Task.Delay(250, TestContext.Current.CancellationToken);
        Assert.False(fired.Task.IsCompleted);

        Assert.True(timer.Change(TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan));
        await fired.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task DisposedTimer_NeverFires()
    {
        var time = new OneThreadTimeProvider();
        var fired = false;
        var timer = time.CreateTimer(_ => fired = true, null, TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan);
        await timer.DisposeAsync();
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.False(Volatile.Read(ref fired));
    }

    [Fact]
    public async Task TimerMadeAfterTheThreadWentIdle_StillFires()
    {
        var time = new OneThreadTimeProvider();
        var first = new TaskCompletionSource();
        using (time.CreateTimer(_ => first.SetResult(), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan))
        {
            await first.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        }

        // Past the idle lifetime, the timer thread has ended; a new timer must start another.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        var second = new TaskCompletionSource();
        using var timer = time.CreateTimer(_ => second.SetResult(), null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        await second.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(-2, 0)]
    [InlineData(0, -2)]
    public void NegativeTimes_OtherThanInfinite_AreRefused(int dueMilliseconds, int periodMilliseconds)
    {
        var time = new OneThreadTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => time.CreateTimer(
            _ => { }, null, TimeSpan.FromMilliseconds(dueMilliseconds), TimeSpan.FromMilliseconds(periodMilliseconds)));
    }
}
