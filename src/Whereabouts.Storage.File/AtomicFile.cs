using System.Globalization;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Storage.File;

/// <summary>
/// Crash-safe file replacement: the new content goes to a temporary file in the same directory, is fsynced, then
/// renamed (or linked, when the target must not exist yet) over the target. A kill -9 at any point leaves either the
/// old file or the new one, never a torn one, and so does a power loss, because the content is on disk before the
/// name points to it.
/// </summary>
/// <remarks>
/// The directory is deliberately not fsynced after the rename: that would make the rename itself survive a power loss,
/// at the price of a second disk flush per write (a third of an ADD). This datastore only ever holds allocations of
/// pods on this host, and a power loss kills all of them, so a rename the file system rolls back can only free an
/// address whose holder is gone (a rolled-back ADD) or keep one that the next DEL or GC of its container releases (a
/// rolled-back DEL). Neither can hand one address to two live pods.
/// </remarks>
internal static class AtomicFile
{
    public const string TempMarker = ".tmp.";

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temp = WriteTemp(path, content);
        try
        {
            System.IO.File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Creates <paramref name="path"/> with <paramref name="content"/> only if it does not exist; false when it does.</summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content)
    {
        var temp = WriteTemp(path, content);
        try
        {
            if (Posix.Link(temp, path) != 0)
            {
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == Posix.ErrnoExists)
                {
                    return false;
                }

                throw new IOException($"cannot create {path}: errno {errno}");
            }
        }
        finally
        {
            TryDelete(temp);
        }

        return true;
    }

    /// <summary>Removes temporary files left by writers that died; call it while holding the lock that guards <paramref name="path"/>.</summary>
    public static void RemoveLeftovers(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        foreach (var leftover in Directory.EnumerateFiles(directory, Path.GetFileName(path) + TempMarker + "*"))
        {
            TryDelete(leftover);
        }
    }

    /// <summary>
    /// Removes temporary files of <paramref name="path"/> whose writer process is gone. Used where no lock guards the
    /// target, so a live writer's temporary file must be left alone; the writer's pid is part of the name.
    /// </summary>
    public static void RemoveDeadLeftovers(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        var prefix = Path.GetFileName(path) + TempMarker;
        foreach (var leftover in Directory.EnumerateFiles(directory, prefix + "*"))
        {
            var rest = Path.GetFileName(leftover)[prefix.Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && int.TryParse(rest.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && !Directory.Exists($"/proc/{pid}"))
            {
                TryDelete(leftover);
            }
        }
    }

    private static string WriteTemp(string path, ReadOnlySpan<byte> content)
    {
        var temp = string.Create(CultureInfo.InvariantCulture, $"{path}{TempMarker}{Environment.ProcessId}.{Random.Shared.Next():x8}");
        try
        {
            using var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        return temp;
    }

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (IOException)
        {
            // Removed by RemoveLeftovers under the lock later.
        }
    }

    /// <summary>Local disk errors do not go away by retrying within one CNI call.</summary>
    public static StoreUnavailableException Unavailable(string what, Exception ex) =>
        new($"file datastore: {what}: {ex.Message}", ex, isTransient: false);
}
