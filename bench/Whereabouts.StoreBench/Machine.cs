using System.Globalization;
using System.Runtime.InteropServices;

namespace Whereabouts.StoreBench;

/// <summary>The header every result is printed under: when, on what.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"whereabouts store benchmark  {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC  {model ?? "unknown CPU"} x {Environment.ProcessorCount}  {RuntimeInformation.FrameworkDescription}");
    }
}
