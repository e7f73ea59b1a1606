using System.Runtime.InteropServices;

namespace Whereabouts.Plugin;

/// <summary>
/// read(2) and write(2) on the standard descriptors. They use the descriptor's own file offset, so output lands right
/// also when stdout is a file shared with the caller (a FileStream would pwrite at a position of its own), and they
/// start no console machinery or threads.
/// </summary>
internal static unsafe partial class Posix
{
    private const int Interrupted = 4;

    [LibraryImport("libc", EntryPoint = "isatty")]
    private static partial int IsATty(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte* buffer, nuint count);

    public static bool IsATerminal(int fd) => IsATty(fd) == 1;

    public static void ReadAll(int fd, Stream destination)
    {
        var buffer = new byte[16384];
        while (true)
        {
            nint read;
            fixed (byte* p = buffer)
            {
                read = Read(fd, p, (nuint)buffer.Length);
            }

            if (read == 0)
            {
                return;
            }

            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Interrupted)
                {
                    continue;
                }

                throw new IOException($"cannot read descriptor {fd}: errno {errno}");
            }

            destination.Write(buffer, 0, (int)read);
        }
    }

    public static void WriteAll(int fd, ReadOnlySpan<byte> content)
    {
        fixed (byte* start = content)
        {
            var written = 0;
            while (written < content.Length)
            {
                var n = Write(fd, start + written, (nuint)(content.Length - written));
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Interrupted)
                    {
                        continue;
                    }

                    throw new IOException($"cannot write descriptor {fd}: errno {errno}");
                }

                written += (int)n;
            }
        }
    }
}
