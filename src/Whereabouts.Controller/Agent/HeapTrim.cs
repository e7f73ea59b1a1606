namespace Whereabouts.Controller.Agent;

/// <summary>
/// Gives memory back after bursts of pool writes. Every write of a large pool reaches the agent as a watch event and as
/// the write's answer (1.5 MB each for 10,000 entries), and the collector keeps the pages such bursts made resident; a
/// node agent runs on every node for weeks, so once in a while, when the heap has grown past its last compacted size,
/// one compacting collection returns them. Measured with 10,000 allocations cached (LoadTest --agent-memory, 2026-12-08):
/// 67-93 MiB right after 100 ADDs and DELs; 12 s later still 70-76 MiB with 16 MiB of allowed growth, 66 MiB with 8 MiB.
/// The collection is blocking and takes milliseconds, at most once per period.
/// </summary>
/// <param name="period">How often the heap is looked at.</param>
/// <param name="growth">Committed bytes above the last compacted size that call for a compaction.</param>
/// <param name="time">The clock.</param>
/// <param name="committed">The committed heap (tests replace it); null: the collector's figure.</param>
/// <param name="compact">The compaction (tests replace it); null: a compacting, decommitting full collection.</param>
internal sealed class HeapTrim(TimeSpan period, long growth, TimeProvider time, Func<long>? committed = null, Action? compact = null)
{
    private readonly Func<long> _committed = committed ?? (static () => GC.GetGCMemoryInfo().TotalCommittedBytes);
    private readonly Action _compact = compact ?? (static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));
    private long _baseline;

    /// <summary>The agent's defaults: every 10 seconds, when 8 MiB more are committed than after the last compaction.</summary>
    public static HeapTrim Default => new(TimeSpan.FromSeconds(10), 8L << 20, TimeProvider.System);

    /// <summary>Compactions so far.</summary>
    public int Compactions { get; private set; }

    /// <summary>Compacts now, and from then on whenever the committed heap grew by more than the allowed growth.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            Compact();
            while (true)
            {
                await Task.Delay(period, time, cancellationToken);
                TrimIfGrown();
            }
        }
        catch (OperationCanceledException)
        {
            // The agent stops.
        }
    }

    /// <summary>One look at the heap: compacts when it grew by more than the allowed growth since the last compaction.</summary>
    public bool TrimIfGrown()
    {
        if (_committed() <= _baseline + growth)
        {
            return false;
        }

        Compact();
        return true;
    }

    private void Compact()
    {
        _compact();
        Compactions++;
        _baseline = _committed();
    }
}
