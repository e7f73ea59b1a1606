using System.Runtime.InteropServices;

namespace Whereabouts.Plugin;

internal static partial class Posix
{
    [LibraryImport("libc", EntryPoint = "isatty")]
    private static partial int IsATty(int fd);

    public static bool IsATerminal(int fd) => IsATty(fd) == 1;
}
