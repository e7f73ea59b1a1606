using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>One caller's pool change waiting for a group commit, and the answer it will get.</summary>
internal sealed class PendingChange(PoolSnapshot snapshot, PoolChange change, SharedStoreCounters counters)
{
    private readonly TaskCompletionSource<bool> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PoolSnapshot Snapshot { get; } = snapshot;

    public PoolChange Change { get; } = change;

    /// <summary>Completes with true (written), false (a conflict: re-read and decide again) or the store's error.</summary>
    public Task<bool> Answer => _answer.Task;

    public bool IsAnswered => _answer.Task.IsCompleted;

    /// <summary>Batches this change was in that the server refused; bounded so a change cannot bounce for ever.</summary>
    public int Attempts { get; set; }

    /// <summary>Set after a batch was refused although no guard had failed: it goes alone next, so its own refusal is its own.</summary>
    public bool Alone { get; set; }

    /// <summary>Every offset the change touches.</summary>
    public IEnumerable<UInt128> Offsets => Change.Upserts.Keys.Concat(Change.Removals);

    /// <summary>True when every touched offset in <paramref name="pool"/> holds what the snapshot read: the same container, or nothing.</summary>
    public bool GuardsHold(IReadOnlyDictionary<UInt128, PoolAllocation> pool)
    {
        foreach (var offset in Offsets)
        {
            var expected = Snapshot.Allocations.GetValueOrDefault(offset);
            var actual = pool.GetValueOrDefault(offset);
            if (expected?.ContainerId != actual?.ContainerId)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="pool"/> shows the change made: every upsert holds exactly what it wrote, every removal is gone.</summary>
    public bool IsVisibleIn(IReadOnlyDictionary<UInt128, PoolAllocation> pool) =>
        Change.Upserts.All(u => pool.TryGetValue(u.Key, out var held) && held == u.Value)
        && Change.Removals.Where(r => !Change.Upserts.ContainsKey(r)).All(r => !pool.ContainsKey(r));

    public void Succeed(bool written)
    {
        if (_answer.TrySetResult(written) && !written)
        {
            counters.Conflict();
        }
    }

    public void Fail(Exception error)
    {
        if (_answer.TrySetException(error))
        {
            // Seen here, so that a caller that stopped waiting does not leave an unobserved exception behind.
            _ = _answer.Task.Exception;
        }
    }

    public void Cancel(CancellationToken cancellationToken) => _answer.TrySetCanceled(cancellationToken);
}
