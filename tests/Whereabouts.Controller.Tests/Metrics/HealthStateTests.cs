using Microsoft.Extensions.Time.Testing;
using Whereabouts.Controller.Metrics;

namespace Whereabouts.Controller.Tests.Metrics;

public sealed class HealthStateTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Check_BeforeTheFirstWatch_Unhealthy()
    {
        var health = new HealthState(_clock, TimeSpan.FromSeconds(90));

        Assert.Equal((false, "the pod watch has not started yet"), health.Check());
        health.NotWatching("cannot list");
        Assert.Equal((false, "cannot list"), health.Check());
    }

    [Fact]
    public void Check_WatchBroke_HealthyWithinTheGraceOnly()
    {
        var health = new HealthState(_clock, TimeSpan.FromSeconds(90));
        health.Watching();
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal((true, "ok"), health.Check());

        health.NotWatching("connection reset");
        _clock.Advance(TimeSpan.FromSeconds(89));
        Assert.Equal((true, "ok (reconnecting: connection reset)"), health.Check());

        health.NotWatching("connection refused");
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal((false, "connection refused"), health.Check());

        health.Watching();
        Assert.True(health.Check().Healthy);
    }
}
