using System.Buffers.Binary;

namespace Whereabouts.Agent.Protocol;

/// <summary>
/// The header every frame starts with, in both directions: magic "WA", protocol version (u16), kind (u8), body length
/// (u32), big-endian, then the body. The version comes right after the magic so that a reader checks it before it
/// interprets anything else: a frame of a version the reader does not speak is never parsed further.
/// </summary>
/// <remarks>
/// Two frames are frozen for all versions, so that any two versions can tell each other "no": the
/// <see cref="AgentFrameKind.Unsupported"/> answer (the answering side's own version, no body) and the header layout.
/// </remarks>
public readonly record struct AgentFrame(ushort Version, AgentFrameKind Kind, int Length)
{
    public const int HeaderSize = 9;

    /// <summary>Requests and answers are a few KiB; anything bigger is a bug or an attack and is refused unread.</summary>
    public const int MaxBodySize = 1 << 20;

    private const byte Magic0 = (byte)'W';
    private const byte Magic1 = (byte)'A';

    public void Write(Span<byte> header)
    {
        header[0] = Magic0;
        header[1] = Magic1;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], Version);
        header[4] = (byte)Kind;
        BinaryPrimitives.WriteUInt32BigEndian(header[5..], (uint)Length);
    }

    /// <summary>Reads magic and version only: what a peer of any version may rely on.</summary>
    public static bool TryReadVersion(ReadOnlySpan<byte> header, out ushort version)
    {
        version = 0;
        if (header.Length < HeaderSize || header[0] != Magic0 || header[1] != Magic1)
        {
            return false;
        }

        version = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        return true;
    }

    /// <summary>The rest of a header whose version the caller has accepted; null when kind or length is out of bounds.</summary>
    public static AgentFrame? Read(ReadOnlySpan<byte> header, ushort acceptedVersion)
    {
        if (!TryReadVersion(header, out var version) || version != acceptedVersion)
        {
            return null;
        }

        var kind = (AgentFrameKind)header[4];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[5..]);
        if (!Enum.IsDefined(kind) || length > MaxBodySize)
        {
            return null;
        }

        return new AgentFrame(version, kind, (int)length);
    }
}
