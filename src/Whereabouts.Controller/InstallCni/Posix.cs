using System.Runtime.InteropServices;

namespace Whereabouts.Controller.InstallCni;

/// <summary>fsync of a directory, which .NET cannot open: it makes a rename durable across a power loss.</summary>
internal static partial class Posix
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000;
    private const int CloseOnExec = 0x80000;

    public static void SyncDirectory(string path)
    {
        var fd = Open(path, ReadOnly | Directory | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to sync it: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot sync directory {path}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
