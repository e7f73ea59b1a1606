using System.Globalization;
using Whereabouts.Storage.File;

namespace Whereabouts.Controller.InstallCni;

/// <summary>
/// Writes that a concurrent reader never sees half done: the content goes to a hidden temporary file in the target's
/// directory, is fsynced and given its mode, and is renamed over the target; then the directory is fsynced. A container
/// runtime exec'ing the plugin, or the plugin reading its kubeconfig, sees the old file or the new one. A target whose
/// content is already right is left alone (only its mode is corrected), so repeated runs change nothing.
/// </summary>
internal static class AtomicFiles
{
    /// <summary>0600: the kubeconfig carries a bearer token.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0755, as CNI binaries are installed.</summary>
    public const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>0700 for a directory created here.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const string TemporaryMarker = ".tmp.";
    private const int ChunkSize = 64 * 1024;

    /// <summary>Creates <paramref name="path"/> (mode 0700) unless it exists; an existing directory keeps its mode.</summary>
    public static bool EnsureDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(path, PrivateDirectory);
        return true;
    }

    /// <summary>Makes <paramref name="path"/> hold <paramref name="content"/> with <paramref name="mode"/>; true when the content changed.</summary>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        if (HasContent(path, content))
        {
            EnsureMode(path, mode);
            return false;
        }

        var bytes = content.ToArray();
        Replace(path, mode, stream => stream.Write(bytes));
        return true;
    }

    /// <summary>Makes <paramref name="destination"/> a copy of <paramref name="source"/> with <paramref name="mode"/>; true when it changed.</summary>
    public static bool CopyIfChanged(string source, string destination, UnixFileMode mode)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize);
        if (SameContent(input, destination))
        {
            EnsureMode(destination, mode);
            return false;
        }

        input.Position = 0;
        Replace(destination, mode, input.CopyTo);
        return true;
    }

    /// <summary>
    /// Deletes temporary files of <paramref name="path"/> older than <paramref name="age"/>: left by a writer killed
    /// mid-copy. A younger one may belong to a writer still running, so it stays.
    /// </summary>
    public static int RemoveStaleTemporaries(string path, TimeSpan age, DateTimeOffset now)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var removed = 0;
        foreach (var leftover in Directory.EnumerateFiles(directory, TemporaryPrefix(path) + "*"))
        {
            if (now - File.GetLastWriteTimeUtc(leftover) > age)
            {
                File.Delete(leftover);
                removed++;
            }
        }

        return removed;
    }

    private static void Replace(string path, UnixFileMode mode, Action<FileStream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Join(directory, TemporaryPrefix(path) + Random.Shared.Next().ToString("x8", CultureInfo.InvariantCulture));
        try
        {
            // Created 0600 so a secret is never readable by others, not even before the chmod below.
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = PrivateFile,
            }))
            {
                write(stream);
                File.SetUnixFileMode(stream.SafeFileHandle, mode);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        DirectorySync.Sync(directory);
    }

    private static string TemporaryPrefix(string path) => "." + Path.GetFileName(path) + TemporaryMarker;

    private static void EnsureMode(string path, UnixFileMode mode)
    {
        if (File.GetUnixFileMode(path) != mode)
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static bool HasContent(string path, ReadOnlySpan<byte> content)
    {
        if (!File.Exists(path) || new FileInfo(path).Length != content.Length)
        {
            return false;
        }

        return File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
    }

    private static bool SameContent(FileStream source, string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var existing = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize);
        if (existing.Length != source.Length)
        {
            return false;
        }

        var left = new byte[ChunkSize];
        var right = new byte[ChunkSize];
        while (true)
        {
            var read = source.ReadAtLeast(left, ChunkSize, throwOnEndOfStream: false);
            if (read == 0)
            {
                return true;
            }

            if (existing.ReadAtLeast(right.AsSpan(0, read), read, throwOnEndOfStream: false) != read
                || !left.AsSpan(0, read).SequenceEqual(right.AsSpan(0, read)))
            {
                return false;
            }
        }
    }
}
