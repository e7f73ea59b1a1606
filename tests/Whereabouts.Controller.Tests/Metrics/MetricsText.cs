using System.Globalization;
using System.Text.RegularExpressions;

namespace Whereabouts.Controller.Tests.Metrics;

/// <summary>Reads a Prometheus text exposition: the value of one series, and the declared metric types.</summary>
internal static partial class MetricsText
{
    /// <summary>The value of the series <paramref name="series"/> (name and labels exactly as exposed); null when absent.</summary>
    public static double? Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>What <paramref name="metrics"/> would answer to a scrape.</summary>
    public static async Task<string> ExportAsync(Whereabouts.Controller.Metrics.ControllerMetrics metrics)
    {
        using var buffer = new MemoryStream();
        await metrics.ExportAsync(buffer, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Every <c># TYPE name type</c> line.</summary>
    public static IReadOnlyDictionary<string, string> Types(string text) =>
        TypeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [GeneratedRegex("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) ([a-z]+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
