using System.Diagnostics;

namespace Whereabouts.Storage.File.Tests.Support;

/// <summary>
/// Makes a directory refuse new entries. Mode bits do not stop root, which CI runs as, so root sets the immutable
/// attribute instead (<c>chattr +i</c>, refused with EPERM, which .NET reports as access denied like EACCES).
/// </summary>
internal sealed class ReadOnlyDirectory : IDisposable
{
    private readonly string _path;

    private ReadOnlyDirectory(string path) => _path = path;

    /// <summary>Null when this machine cannot make the directory read-only for this user (root without CAP_LINUX_IMMUTABLE).</summary>
    public static ReadOnlyDirectory? TryMake(string path)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            return new ReadOnlyDirectory(path);
        }

        return Chattr("+i", path) ? new ReadOnlyDirectory(path) : null;
    }

    public void Dispose()
    {
        if (Environment.IsPrivilegedProcess)
        {
            Chattr("-i", _path);
        }
        else
        {
            System.IO.File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool Chattr(string change, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [change, path]) { UseShellExecute = false, RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
