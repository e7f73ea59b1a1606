namespace Whereabouts.LoadTest;

internal static class Percentiles
{
    /// <summary>The nearest-rank percentile (<paramref name="p"/> in 0..1) of the samples, in milliseconds; 0 for none.</summary>
    public static double Of(IEnumerable<TimeSpan> samples, double p)
    {
        var sorted = samples.Select(static s => s.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
