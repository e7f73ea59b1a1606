using System.Runtime.InteropServices;

namespace Whereabouts.Storage.File;

/// <summary>The few POSIX calls .NET does not expose: blocking-free flock, link (create-if-absent), and fsync of a directory.</summary>
internal static partial class Posix
{
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int Unlock = 8;
    public const int ReadOnly = 0;
    public const int Directory = 0x10000;
    public const int CloseOnExec = 0x80000;
    public const int ErrnoExists = 17;
    public const int ErrnoWouldBlock = 11;
    public const int ErrnoInterrupted = 4;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existing, string created);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    /// <summary>open(path, O_CREAT|O_WRONLY|O_TRUNC, mode) without .NET's own advisory locking, which would clash with ours.</summary>
    [LibraryImport("libc", EntryPoint = "creat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Creat(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
