using System.Runtime.InteropServices;

namespace Whereabouts.Controller.Tests.InstallCni;

/// <summary>rename(2): File.Move refuses a symlink to a directory, and the kubelet's rotation is exactly that rename.</summary>
internal static partial class Rename
{
    public static void Replace(string source, string destination)
    {
        if (Native(source, destination) != 0)
        {
            throw new IOException($"rename {source} -> {destination}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Native(string source, string destination);
}
