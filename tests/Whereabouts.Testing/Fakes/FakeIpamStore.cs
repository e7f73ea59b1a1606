using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Testing.Fakes;

/// <summary>
/// An in-memory <see cref="IIpamStore"/> that keeps the real contract (versioned pools written by compare-and-swap,
/// reservations created exclusively and deleted conditionally) and lets a test break it on purpose: queued or random
/// faults per operation, forced conflicts, latency, hooks that run between a caller's read and its write, call
/// counts, and a policy for which allocations are local.
/// </summary>
/// <remarks>
/// Every member is thread-safe. Each store call is recorded, waits <see cref="Latency"/>, throws a due fault, runs
/// its hook, and only then takes effect, atomically. The arrange-and-inspect members of <see cref="Pools"/> and
/// <see cref="Reservations"/> (Seed, Peek, Entries, ...) bypass faults, hooks, latency and counters.
/// </remarks>
public sealed class FakeIpamStore : IIpamStore
{
    private readonly Dictionary<FakeOperation, Queue<QueuedFault>> _queued = [];
    private readonly List<FakeCall> _calls = [];

    /// <param name="time">The clock for latency, call times and reservation creation times; the system clock by default.</param>
    public FakeIpamStore(TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        Pools = new FakePoolStore(this);
        Reservations = new FakeReservationStore(this);
    }

    public TimeProvider Time { get; }

    public FakePoolStore Pools { get; }

    public FakeReservationStore Reservations { get; }

    IPoolStore IIpamStore.Pools => Pools;

    IReservationStore IIpamStore.Reservations => Reservations;

    /// <summary>The NodeSlicePools of node-slice mode; null (as for the file datastore) unless a test sets them.</summary>
    public FakeNodeSliceStore? NodeSlices { get; set; }

    INodeSliceStore? IIpamStore.NodeSlices => NodeSlices;

    /// <summary>How long every call waits on <see cref="Time"/> before it takes effect; a fake clock must be advanced past it.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// Asked on every call that no queued fault claims (under the store's lock, so it may use a plain
    /// <see cref="Random"/>): return an exception to fail the call before it takes effect, or null to let it through.
    /// </summary>
    public Func<FakeOperation, Exception?>? FaultPolicy { get; set; }

    /// <summary>What <see cref="LocateAsync"/> answers; every allocation is on this host by default.</summary>
    public Func<PoolAllocation, AllocationPlacement> Locate { get; set; } = static _ => AllocationPlacement.ThisHost;

    public bool IsDisposed { get; private set; }

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (Gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Guards all state of the store and its pools and reservations.</summary>
    internal Lock Gate { get; } = new();

    public int CallCount(FakeOperation operation)
    {
        lock (Gate)
        {
            return _calls.Count(c => c.Operation == operation);
        }
    }

    /// <summary>Makes the next <paramref name="times"/> calls of <paramref name="operation"/> throw before they take effect.</summary>
    public void FailNext(FakeOperation operation, Func<Exception> error, int times = 1) => Enqueue(operation, error, times, afterApplying: false);

    /// <summary>
    /// Makes the next <paramref name="times"/> calls of <paramref name="operation"/> take effect and then throw: the
    /// ambiguous outcome of a request whose answer was lost.
    /// </summary>
    public void FailNextAfterApplying(FakeOperation operation, Func<Exception> error, int times = 1) => Enqueue(operation, error, times, afterApplying: true);

    public Task CheckReachableAsync(CancellationToken cancellationToken) =>
        RunAsync(FakeOperation.CheckReachable, string.Empty, static () => true, null, cancellationToken);

    public Task<AllocationPlacement> LocateAsync(PoolAllocation allocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        return RunAsync(FakeOperation.Locate, allocation.ContainerId, () => Locate(allocation), null, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>The life of one call: record, wait, fail if due, run the hook, apply under the lock, fail if due after applying.</summary>
    internal async Task<T> RunAsync<T>(
        FakeOperation operation, string target, Func<T> apply, Func<Task>? beforeApply, CancellationToken cancellationToken)
    {
        QueuedFault? fault;
        lock (Gate)
        {
            _calls.Add(new FakeCall(operation, Time.GetUtcNow(), target));
            fault = Dequeue(operation);
            if (fault is null && FaultPolicy?.Invoke(operation) is { } random)
            {
                fault = new QueuedFault(() => random, AfterApplying: false);
            }
        }

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, Time, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (fault is { AfterApplying: false })
        {
            throw fault.Error();
        }

        if (beforeApply is not null)
        {
            await beforeApply();
        }

        T result;
        lock (Gate)
        {
            result = apply();
        }

        if (fault is { AfterApplying: true })
        {
            throw fault.Error();
        }

        return result;
    }

    private void Enqueue(FakeOperation operation, Func<Exception> error, int times, bool afterApplying)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        lock (Gate)
        {
            if (!_queued.TryGetValue(operation, out var queue))
            {
                queue = new Queue<QueuedFault>();
                _queued[operation] = queue;
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(new QueuedFault(error, afterApplying));
            }
        }
    }

    private QueuedFault? Dequeue(FakeOperation operation) =>
        _queued.TryGetValue(operation, out var queue) && queue.TryDequeue(out var fault) ? fault : null;

    private sealed record QueuedFault(Func<Exception> Error, bool AfterApplying);
}
