using System.Text;

namespace Whereabouts.Plugin;

/// <summary>
/// The standard streams, used synchronously through <see cref="Posix"/>: async reads would start thread-pool threads and
/// System.Console would set up terminal handling, both costing more than the rest of a CNI call.
/// </summary>
internal static class StandardStreams
{
    /// <summary>All of stdin; nothing when stdin is a terminal (VERSION echoes stdin's cniVersion and must not wait for typing).</summary>
    public static MemoryStream ReadStdin()
    {
        var buffer = new MemoryStream();
        if (!Posix.IsATerminal(0))
        {
            Posix.ReadAll(0, buffer);
            buffer.Position = 0;
        }

        return buffer;
    }

    public static StreamWriter OpenStderr() => new(new DescriptorStream(2), new UTF8Encoding(false)) { AutoFlush = true };

    public static void WriteStdout(MemoryStream content) => Posix.WriteAll(1, content.GetBuffer().AsSpan(0, (int)content.Length));

    /// <summary>A write-only stream over a descriptor, for the stderr logger.</summary>
    private sealed class DescriptorStream(int fd) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Posix.WriteAll(fd, buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => Posix.WriteAll(fd, buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
