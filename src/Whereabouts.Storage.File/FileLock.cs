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
        // Opened by hand: .NET's FileStream takes a shared flock of its own on open, which would fail while another
        // process holds ours.
        var raw = Posix.Creat(path, 0x180);
        if (raw < 0)
        {
            var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            // EACCES, and EPERM (an immutable directory, a sealed file), which .NET itself reports as access denied.
            throw error is 13 or 1
                ? new UnauthorizedAccessException($"cannot open {path}: permission denied (errno {error})")
                : new IOException($"cannot open {path}: errno {error}");
        }

        var handle = new SafeFileHandle(raw, ownsHandle: true);
        try
        {
            var fd = raw;
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
