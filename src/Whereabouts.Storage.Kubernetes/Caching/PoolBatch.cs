using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>
/// The changes that go into one pool write, chosen from those waiting against the pool as cached: each keeps the
/// guards of the snapshot it was planned on, so the merged patch applies only if every one of them still holds.
/// </summary>
internal sealed class PoolBatch
{
    private readonly Dictionary<UInt128, PoolAllocation> _upserts = [];
    private readonly List<UInt128> _removals = [];
    private readonly Dictionary<UInt128, PoolAllocation> _guards = [];
    private readonly HashSet<UInt128> _touched = [];

    private PoolBatch(PoolSnapshot current) => Current = current;

    /// <summary>The pool the batch was planned against.</summary>
    public PoolSnapshot Current { get; }

    /// <summary>The changes in the patch, in arrival order.</summary>
    public List<PendingChange> Members { get; } = [];

    /// <summary>Changes that touch an offset an earlier member touches: they answer false once the batch has landed.</summary>
    public List<PendingChange> Losers { get; } = [];

    /// <summary>Changes left for the next batch (it would grow the pool past its size limit, or it must go alone).</summary>
    public List<PendingChange> Later { get; } = [];

    /// <summary>
    /// Chooses the members among <paramref name="waiting"/>. Changes whose guards already fail against
    /// <paramref name="current"/> are answered false at once (the cache shows their caller what it lost to); a change
    /// that alone would make the pool too large gets that error.
    /// </summary>
    public static PoolBatch Plan(PoolSnapshot current, IEnumerable<PendingChange> waiting)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(waiting);
        var batch = new PoolBatch(current);
        foreach (var pending in waiting)
        {
            batch.Consider(pending);
        }

        return batch;
    }

    /// <summary>The JSON Patch of every member.</summary>
    public string BuildPatch()
    {
        // A pool without allocations gets its whole map added under a test of its version (the map may be missing).
        var replaceMap = Current.Allocations.Count == 0 && Current.UnreadableKeys.Count == 0;
        return PoolPatch.Build(Current.Version, _guards, new PoolChange(_upserts, _removals), replaceMap);
    }

    private void Consider(PendingChange pending)
    {
        if (pending.IsAnswered)
        {
            return;
        }

        if (!pending.GuardsHold(Current.Allocations))
        {
            pending.Succeed(false);
            return;
        }

        if (pending.Offsets.Any(_touched.Contains))
        {
            Losers.Add(pending);
            return;
        }

        if (Members.Count > 0 && (pending.Alone || Members[0].Alone))
        {
            Later.Add(pending);
            return;
        }

        if (pending.Change.Upserts.Count > 0)
        {
            try
            {
                var upserts = new Dictionary<UInt128, PoolAllocation>(_upserts);
                foreach (var (offset, allocation) in pending.Change.Upserts)
                {
                    upserts[offset] = allocation;
                }

                PoolObjectSize.EnsureWithinLimit(Current, new PoolChange(upserts, [.. _removals, .. pending.Change.Removals]));
            }
            catch (StoreLimitExceededException ex)
            {
                if (Members.Count == 0)
                {
                    pending.Fail(ex);
                }
                else
                {
                    Later.Add(pending);
                }

                return;
            }
        }

        Members.Add(pending);
        foreach (var offset in pending.Offsets)
        {
            _touched.Add(offset);
            if (pending.Snapshot.Allocations.TryGetValue(offset, out var held))
            {
                _guards[offset] = held;
            }
        }

        foreach (var (offset, allocation) in pending.Change.Upserts)
        {
            _upserts[offset] = allocation;
        }

        _removals.AddRange(pending.Change.Removals);
    }
}
