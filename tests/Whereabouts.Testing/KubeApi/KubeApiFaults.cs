namespace Whereabouts.Testing.KubeApi;

/// <summary>
/// Fault injection for a running <see cref="KubeApiServer"/>; every member is thread-safe and takes
/// effect for requests that arrive afterwards. Latency is slept outside any store lock.
/// </summary>
public sealed class KubeApiFaults
{
    private readonly Lock _gate = new();
    private readonly List<KubeApiFault> _rules = [];
    private readonly List<(string? Verb, string? Resource, Action Action)> _hooks = [];
    private (TimeSpan Delay, TimeSpan Jitter) _latency;
    private (TimeSpan Delay, TimeSpan Jitter) _writeLatency;
    private TaskCompletionSource? _outage;
    private OutageMode _outageMode;
    private int _retryAfterSeconds = 1;

    /// <summary>Raised when an outage begins, so open watches can be cut.</summary>
    internal event Action? OutageStarted;

    /// <summary>The Retry-After (seconds) sent with injected 429 and 504 answers.</summary>
    public int RetryAfterSeconds
    {
        get => Volatile.Read(ref _retryAfterSeconds);
        set => Volatile.Write(ref _retryAfterSeconds, value);
    }

    public bool IsPaused
    {
        get
        {
            lock (_gate)
            {
                return _outage is not null;
            }
        }
    }

    /// <summary>Delays every request by <paramref name="delay"/> plus up to <paramref name="jitter"/>.</summary>
    public void SetLatency(TimeSpan delay, TimeSpan jitter = default)
    {
        lock (_gate)
        {
            _latency = (delay, jitter);
        }
    }

    /// <summary>Delays every write (create, update, patch, delete) by <paramref name="delay"/> plus up to <paramref name="jitter"/>, on top of <see cref="SetLatency"/>.</summary>
    public void SetWriteLatency(TimeSpan delay, TimeSpan jitter = default)
    {
        lock (_gate)
        {
            _writeLatency = (delay, jitter);
        }
    }

    /// <summary>Answers the next <paramref name="count"/> matching requests with <paramref name="statusCode"/> (409, 422, 429, 500, 503, ...).</summary>
    public KubeApiFault FailNext(int count, int statusCode, string? verb = null, string? resource = null, FaultPoint point = FaultPoint.BeforeProcessing)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Add(new KubeApiFault(statusCode, drop: false, count, 0, verb, resource, point, Remove));
    }

    /// <summary>Answers about <paramref name="fraction"/> (0..1] of matching requests with <paramref name="statusCode"/>, until disposed.</summary>
    public KubeApiFault FailFraction(double fraction, int statusCode, string? verb = null, string? resource = null, FaultPoint point = FaultPoint.BeforeProcessing)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        return Add(new KubeApiFault(statusCode, drop: false, 0, fraction, verb, resource, point, Remove));
    }

    /// <summary>Aborts the connection of the next <paramref name="count"/> matching requests.</summary>
    public KubeApiFault DropNext(int count, string? verb = null, string? resource = null, FaultPoint point = FaultPoint.BeforeProcessing)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Add(new KubeApiFault(0, drop: true, count, 0, verb, resource, point, Remove));
    }

    /// <summary>Aborts the connection of about <paramref name="fraction"/> of matching requests, until disposed.</summary>
    public KubeApiFault DropFraction(double fraction, string? verb = null, string? resource = null, FaultPoint point = FaultPoint.BeforeProcessing)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        return Add(new KubeApiFault(0, drop: true, 0, fraction, verb, resource, point, Remove));
    }

    /// <summary>
    /// Runs <paramref name="action"/> once, right before the next matching request is processed: the world changing
    /// between two requests of a client (a pod re-created while a release is under way).
    /// </summary>
    public void BeforeNext(string? verb, string? resource, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            _hooks.Add((verb, resource, action));
        }
    }

    internal void RunHooks(string verb, string resource)
    {
        List<Action> due = [];
        lock (_gate)
        {
            for (var i = _hooks.Count - 1; i >= 0; i--)
            {
                var hook = _hooks[i];
                if ((hook.Verb is null || hook.Verb == verb) && (hook.Resource is null || hook.Resource == resource))
                {
                    due.Insert(0, hook.Action);
                    _hooks.RemoveAt(i);
                }
            }
        }

        foreach (var action in due)
        {
            action();
        }
    }

    /// <summary>Starts an outage: new requests hang or are cut off (see <see cref="OutageMode"/>) and open watches are cut.</summary>
    public void Pause(OutageMode mode = OutageMode.Hang)
    {
        lock (_gate)
        {
            _outage ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _outageMode = mode;
        }

        OutageStarted?.Invoke();
    }

    /// <summary>Ends an outage; hanging requests continue.</summary>
    public void Resume()
    {
        TaskCompletionSource? outage;
        lock (_gate)
        {
            outage = _outage;
            _outage = null;
        }

        outage?.TrySetResult();
    }

    /// <summary>Removes every fault, latency and outage.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _hooks.Clear();
            _latency = default;
            _writeLatency = default;
        }

        Resume();
    }

    /// <summary>The outage in effect, if any, and the task that completes when it ends.</summary>
    internal (OutageMode Mode, Task Ended)? CurrentOutage()
    {
        lock (_gate)
        {
            return _outage is null ? null : (_outageMode, _outage.Task);
        }
    }

    internal TimeSpan NextLatency(bool isWrite)
    {
        (TimeSpan Delay, TimeSpan Jitter) latency, write;
        lock (_gate)
        {
            latency = _latency;
            write = _writeLatency;
        }

        var total = WithJitter(latency);
        return isWrite ? total + WithJitter(write) : total;
    }

    /// <summary>The first fault rule that hits this request at this point, if any.</summary>
    internal KubeApiFault? Strike(string verb, string resource, FaultPoint point)
    {
        KubeApiFault[] rules;
        lock (_gate)
        {
            if (_rules.Count == 0)
            {
                return null;
            }

            rules = [.. _rules];
        }

        foreach (var rule in rules)
        {
            if (rule.Point == point && rule.Matches(verb, resource) && rule.TryStrike())
            {
                if (rule.Fraction == 0 && rule.Remaining == 0)
                {
                    Remove(rule);
                }

                return rule;
            }
        }

        return null;
    }

    private static TimeSpan WithJitter((TimeSpan Delay, TimeSpan Jitter) latency) =>
        latency.Jitter <= TimeSpan.Zero ? latency.Delay : latency.Delay + (latency.Jitter * Random.Shared.NextDouble());

    private KubeApiFault Add(KubeApiFault fault)
    {
        lock (_gate)
        {
            _rules.Add(fault);
        }

        return fault;
    }

    private void Remove(KubeApiFault fault)
    {
        lock (_gate)
        {
            _rules.Remove(fault);
        }
    }
}
