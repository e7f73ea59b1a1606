using Microsoft.Extensions.Time.Testing;
using Whereabouts.Controller.Agent;

namespace Whereabouts.Controller.Tests.Agent;

/// <summary>The agent compacts its heap once at start and then only when it grew past the allowed growth.</summary>
public sealed class HeapTrimTests
{
    [Fact]
    public async Task RunAsync_CompactsOnceAtStart()
    {
        long committed = 100;
        var trim = new HeapTrim(TimeSpan.FromHours(1), 50, new FakeTimeProvider(), () => committed, () => committed = 60);
        using var stop = new CancellationTokenSource();

        var running = trim.RunAsync(stop.Token);

        Assert.Equal(1, trim.Compactions);
        Assert.Equal(60, committed);
        await stop.CancelAsync();
        await running;
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(150, false)]
    [InlineData(151, true)]
    public void TrimIfGrown_OnlyPastTheAllowedGrowth(long grownTo, bool compacts)
    {
        long committed = 100;
        var trim = new HeapTrim(TimeSpan.FromSeconds(10), 50, new FakeTimeProvider(), () => committed, () => committed = 100);
        Assert.True(trim.TrimIfGrown(), "nothing compacted yet: the first look compacts");
        Assert.False(trim.TrimIfGrown());
        Assert.Equal(1, trim.Compactions);

        committed = grownTo;

        Assert.Equal(compacts, trim.TrimIfGrown());
        Assert.Equal(compacts ? 2 : 1, trim.Compactions);
    }
}
