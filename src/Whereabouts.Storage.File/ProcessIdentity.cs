using System.Globalization;

namespace Whereabouts.Storage.File;

/// <summary>
/// A process as the kernel knows it: its pid and its start time (field 22 of /proc/&lt;pid&gt;/stat), so that a pid
/// reused by a later process is not mistaken for the original one.
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTicks)
{
    public static ProcessIdentity Current { get; } = new(Environment.ProcessId, StartTicksOf(Environment.ProcessId) ?? 0);

    /// <summary>True while the process that wrote this identity is still running.</summary>
    public bool IsAlive => Pid > 0 && StartTicksOf(Pid) is { } ticks && ticks == StartTicks;

    private static long? StartTicksOf(int pid)
    {
        try
        {
            var stat = System.IO.File.ReadAllText($"/proc/{pid}/stat");
            // The command name may contain spaces and parentheses; fields resume after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
