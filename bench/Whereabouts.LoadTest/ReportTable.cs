using System.Globalization;
using System.Text;

namespace Whereabouts.LoadTest;

/// <summary>The printed results: one row per round, and the first failure of each round that had any.</summary>
internal static class ReportTable
{
    private static readonly (string Title, int Width)[] Columns =
    [
        ("round", 10), ("calls", 6), ("failed", 6), ("total s", 8), ("p50 ms", 7), ("p99 ms", 7), ("max ms", 7),
        ("422/409", 8), ("patch retries", 13), ("claim 409", 9), ("requests", 9), ("plugin cpu s", 12), ("server cpu s", 12),
        ("pool", 5), ("orips", 5), ("dups", 4), ("bad", 4),
    ];

    public static string Render(IReadOnlyList<RoundResult> rounds)
    {
        var text = new StringBuilder();
        text.AppendLine(Row(Columns.Select(static c => c.Title)));
        text.AppendLine(Row(Columns.Select(static c => new string('-', c.Width))));
        foreach (var round in rounds)
        {
            var durations = round.Calls.Select(static c => c.Elapsed).ToList();
            text.AppendLine(Row(
            [
                round.Name,
                N(round.Calls.Count),
                N(round.Failures.Count),
                F(round.Elapsed.TotalSeconds, "0.0"),
                F(Percentiles.Of(durations, 0.50), "0"),
                F(Percentiles.Of(durations, 0.99), "0"),
                F(Percentiles.Of(durations, 1.0), "0"),
                N(round.Conflicts),
                N(round.PatchRetries),
                N(round.ClaimConflicts),
                N(round.Requests),
                F(round.PluginCpu.TotalSeconds, "0.0"),
                F(round.ServerCpu.TotalSeconds, "0.0"),
                round.Check is { } c1 ? N(c1.Allocations) : "-",
                round.Check is { } c2 ? N(c2.Reservations) : "-",
                round.Check is { } c3 ? N(c3.Duplicates) : "-",
                round.Check is { } c4 ? N(c4.Mismatches + c4.Orphans) : "-",
            ]));
        }

        foreach (var round in rounds.Where(static r => r.Failures.Count > 0))
        {
            var first = round.Failures[0];
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{round.Name}: {round.Failures.Count} failed; first: {first.Call.Command} {first.Call.Pod} on {first.Call.Node} exit {first.ExitCode}: {first.Stdout.Trim()} {LastLine(first.Stderr)}");
        }

        return text.ToString();
    }

    private static string Row(IEnumerable<string> cells) =>
        string.Join("  ", cells.Zip(Columns, static (cell, column) => cell.PadLeft(column.Width))).TrimEnd();

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1];
}
