using Microsoft.Win32.SafeHandles;

namespace Whereabouts.Storage.File;

/// <summary>
/// An exclusive advisory lock (flock) on a lock file, shared by every process on the host. It is taken without
/// blocking and polled with a short growing delay, so a waiter always honours its deadline.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly SafeFileHandle _handle;

    private FileLock(SafeFileHandle handle) => _handle = handle;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var handle = System.IO.File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            var delay = TimeSpan.FromMilliseconds(0.2);
            while (true)
            {
                if (Posix.Flock(fd, Posix.LockExclusive | Posix.LockNonBlocking) == 0)
                {
                    return new FileLock(handle);
                }

                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno is not (Posix.ErrnoWouldBlock or Posix.ErrnoInterrupted))
                {
                    throw new IOException($"cannot lock {path}: errno {errno}");
                }

                await Task.Delay(TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + Random.Shared.NextDouble()))), cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(10).Ticks));
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Closing the descriptor drops the lock, also when the process dies.</summary>
    public void Dispose() => _handle.Dispose();
}
