using System.Diagnostics;

namespace Whereabouts.Plugin;

/// <summary>
/// The plugin's clock. Its timers (the ADD and DEL deadlines, the rollback and request timeouts) all run on one
/// background thread of their own, started by the first timer. The runtime's timer queue would do the same job, but
/// its first use measures how fast the processor number can be read so as to pick a per-processor queue, and in a
/// process that lives a few milliseconds that costs 0.2 to 0.3 ms, a tenth of an ADD.
/// </summary>
/// <remarks>
/// Callbacks run one at a time on the timer thread, so they must be short (cancelling a token is). The thread ends
/// after a second with no timer scheduled. As with
/// <see cref="System.Threading.Timer"/>, a callback may still run once after the timer is disposed if it was
/// already due, and an exception it throws ends the process.
/// </remarks>
internal sealed class OneThreadTimeProvider : TimeProvider
{
    private const int IdleLifetimeMilliseconds = 1000;

    // A monitor, not a Lock: the timer thread waits on it with Monitor.Wait.
    private readonly object _gate = new();
    private readonly List<Entry> _scheduled = [];
    private Thread? _thread;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var entry = new Entry(this, callback, state);
        entry.Change(dueTime, period);
        return entry;
    }

    /// <returns>False when the timer is disposed.</returns>
    private bool Schedule(Entry entry, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            if (entry.Disposed)
            {
                return false;
            }

            entry.Period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                _scheduled.Remove(entry);
                return true;
            }

            entry.Due = Stopwatch.GetTimestamp() + StopwatchTicks(dueTime);
            if (!_scheduled.Contains(entry))
            {
                _scheduled.Add(entry);
            }

            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "whereabouts timers" };
                _thread.Start();
            }
            else
            {
                Monitor.PulseAll(_gate);
            }

            return true;
        }
    }

    private void Unschedule(Entry entry)
    {
        lock (_gate)
        {
            entry.Disposed = true;
            _scheduled.Remove(entry);
        }
    }

    private void Run()
    {
        var due = new List<Entry>();
        while (true)
        {
            lock (_gate)
            {
                while (true)
                {
                    var now = Stopwatch.GetTimestamp();
                    var next = long.MaxValue;
                    foreach (var entry in _scheduled)
                    {
                        if (entry.Due <= now)
                        {
                            due.Add(entry);
                        }
                        else
                        {
                            next = Math.Min(next, entry.Due);
                        }
                    }

                    if (due.Count > 0)
                    {
                        foreach (var entry in due)
                        {
                            if (entry.Period == Timeout.InfiniteTimeSpan || entry.Period == TimeSpan.Zero)
                            {
                                _scheduled.Remove(entry);
                            }
                            else
                            {
                                entry.Due = now + StopwatchTicks(entry.Period);
                            }
                        }

                        break;
                    }

                    if (next != long.MaxValue)
                    {
                        Monitor.Wait(_gate, WaitMilliseconds(next - now));
                    }
                    else if (!Monitor.Wait(_gate, IdleLifetimeMilliseconds) && _scheduled.Count == 0)
                    {
                        // Nothing to time for a while: let the thread go; the next timer starts another.
                        _thread = null;
                        return;
                    }
                }
            }

            foreach (var entry in due)
            {
                entry.Fire();
            }

            due.Clear();
        }
    }

    private static long StopwatchTicks(TimeSpan span) => (long)(span.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));

    private static int WaitMilliseconds(long stopwatchTicks) =>
        (int)Math.Clamp(Math.Ceiling(stopwatchTicks * 1000.0 / Stopwatch.Frequency), 1, int.MaxValue - 1);

    private static void Validate(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "must be non-negative or Timeout.InfiniteTimeSpan");
        }
    }

    private sealed class Entry(OneThreadTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        // Guarded by owner._gate.
        public long Due { get; set; }

        public TimeSpan Period { get; set; }

        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Validate(dueTime, nameof(dueTime));
            Validate(period, nameof(period));
            return owner.Schedule(this, dueTime, period);
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Unschedule(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
