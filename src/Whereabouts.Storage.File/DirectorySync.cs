using System.Runtime.InteropServices;

namespace Whereabouts.Storage.File;

/// <summary>
/// fsync of a directory, which .NET cannot open: it makes a rename or link in it durable across a power loss. Used by
/// install-cni's atomic writes, where a rolled-back rename could leave a node with an old plugin or configuration.
/// </summary>
public static class DirectorySync
{
    public static void Sync(string directory)
    {
        var fd = Posix.Open(directory, Posix.ReadOnly | Posix.Directory | Posix.CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to sync it: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (Posix.Fsync(fd) != 0)
            {
                throw new IOException($"cannot sync directory {directory}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            Posix.Close(fd);
        }
    }
}
