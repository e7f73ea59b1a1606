using System.Globalization;
using System.Text;

namespace Whereabouts.Controller.Reconcile;

/// <summary>The counts of one pass, printed as its last line.</summary>
internal sealed class ReconcileSummary
{
    private readonly SortedDictionary<string, int> _kept = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _reservationsKept = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (int Found, int Released)> _leaks = new(StringComparer.Ordinal);

    public bool DryRun { get; init; }

    public int Pools { get; set; }

    public int Allocations { get; set; }

    /// <summary>Allocations this pass removed (or, in a dry run, would remove).</summary>
    public int Released { get; set; }

    /// <summary>Allocations another writer removed between the snapshot and this pass's write.</summary>
    public int Vanished { get; set; }

    public int ReservationsReleased { get; set; }

    /// <summary>Failed writes, unreadable objects and failed reads after the snapshot; the pass went on.</summary>
    public int Errors { get; set; }

    /// <summary>Why allocations stayed, with counts.</summary>
    public IReadOnlyDictionary<string, int> Kept => _kept;

    /// <summary>Why reservations stayed, with counts.</summary>
    public IReadOnlyDictionary<string, int> ReservationsKept => _reservationsKept;

    /// <summary>Leaks by reason: allocations and reservations chosen for release, and those the pass did release.</summary>
    public IReadOnlyDictionary<string, (int Found, int Released)> Leaks => _leaks;

    public int KeptTotal => _kept.Values.Sum();

    public int ReservationsKeptTotal => _reservationsKept.Values.Sum();

    public void Keep(string reason, int count = 1) => Add(_kept, reason, count);

    public void KeepReservation(string reason) => Add(_reservationsKept, reason, 1);

    /// <summary>Counts <paramref name="found"/> leaks of <paramref name="reason"/>, of which <paramref name="released"/> were released.</summary>
    public void Leak(string reason, int found, int released)
    {
        var (f, r) = _leaks.GetValueOrDefault(reason);
        _leaks[reason] = (f + found, r + released);
    }

    public override string ToString()
    {
        var line = new StringBuilder("reconcile");
        if (DryRun)
        {
            line.Append(" (dry run)");
        }

        line.Append(CultureInfo.InvariantCulture, $": pools={Pools} allocations={Allocations} {(DryRun ? "would-release" : "released")}={Released} kept={KeptTotal}");
        AppendReasons(line, _kept);
        line.Append(CultureInfo.InvariantCulture, $" vanished={Vanished} reservations-{(DryRun ? "would-release" : "released")}={ReservationsReleased} reservations-kept={ReservationsKeptTotal}");
        AppendReasons(line, _reservationsKept);
        line.Append(CultureInfo.InvariantCulture, $" errors={Errors}");
        return line.ToString();
    }

    private static void Add(SortedDictionary<string, int> counts, string reason, int count)
    {
        if (count > 0)
        {
            counts[reason] = counts.GetValueOrDefault(reason) + count;
        }
    }

    private static void AppendReasons(StringBuilder line, SortedDictionary<string, int> counts)
    {
        if (counts.Count > 0)
        {
            line.Append(" (").AppendJoin(' ', counts.Select(static c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value}"))).Append(')');
        }
    }
}
