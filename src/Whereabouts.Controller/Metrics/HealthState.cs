namespace Whereabouts.Controller.Metrics;

/// <summary>
/// Whether the pod watch works: healthy once a list succeeded and the watch was opened, and as long as the watch is
/// open or was last working less than the grace period ago (a reconnect after a dropped connection or an API
/// server restart is not a reason to restart the controller).
/// </summary>
internal sealed class HealthState(TimeProvider time, TimeSpan grace)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastWorking;
    private bool _watching;
    private string _problem = "the pod watch has not started yet";

    /// <summary>The watch was opened, or delivered an event.</summary>
    public void Watching()
    {
        lock (_gate)
        {
            _watching = true;
            _lastWorking = time.GetUtcNow();
        }
    }

    /// <summary>The watch ended or broke; <paramref name="problem"/> says why.</summary>
    public void NotWatching(string problem)
    {
        lock (_gate)
        {
            if (_watching)
            {
                _lastWorking = time.GetUtcNow();
            }

            _watching = false;
            _problem = problem;
        }
    }

    /// <summary>Healthy or not, and why not.</summary>
    public (bool Healthy, string Detail) Check()
    {
        lock (_gate)
        {
            if (_watching)
            {
                return (true, "ok");
            }

            return _lastWorking is { } last && time.GetUtcNow() - last < grace
                ? (true, "ok (reconnecting: " + _problem + ")")
                : (false, _problem);
        }
    }
}
