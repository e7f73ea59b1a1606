using Microsoft.Win32.SafeHandles;

namespace Whereabouts.Plugin;

/// <summary>
/// The process's standard streams as raw descriptors, used synchronously. System.Console would set up terminal and
/// signal handling, and async reads would start thread-pool threads: both cost more than the rest of a CNI call.
/// </summary>
internal static class StandardStreams
{
    /// <summary>All of stdin; nothing when stdin is a terminal (VERSION echoes stdin's cniVersion and must not wait for typing).</summary>
    public static MemoryStream ReadStdin()
    {
        var buffer = new MemoryStream();
        if (!Posix.IsATerminal(0))
        {
            using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
            stdin.CopyTo(buffer);
            buffer.Position = 0;
        }

        return buffer;
    }

    public static StreamWriter OpenStderr() =>
        new(new FileStream(new SafeFileHandle(2, ownsHandle: false), FileAccess.Write, bufferSize: 0)) { AutoFlush = true };

    public static void WriteStdout(MemoryStream content)
    {
        using var stdout = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        stdout.Write(content.GetBuffer(), 0, (int)content.Length);
    }
}
