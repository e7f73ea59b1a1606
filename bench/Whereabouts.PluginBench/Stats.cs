namespace Whereabouts.PluginBench;

internal static class Stats
{
    public static double Percentile(IReadOnlyList<TimeSpan> samples, double p)
    {
        var sorted = samples.Select(static s => s.TotalMilliseconds).Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }
}
