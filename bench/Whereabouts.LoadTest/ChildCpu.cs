using System.Globalization;

namespace Whereabouts.LoadTest;

/// <summary>
/// CPU time used by this process's finished children (the plugin processes): cutime and cstime of /proc/self/stat,
/// which the kernel adds up as children are reaped.
/// </summary>
internal static class ChildCpu
{
    // USER_HZ, the unit of /proc/*/stat times, is 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Used()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // Field 3 (state) is fields[0]; cutime and cstime are fields 16 and 17.
        var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
