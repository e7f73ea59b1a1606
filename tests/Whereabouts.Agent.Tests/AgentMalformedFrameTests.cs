using System.Net.Sockets;
using System.Text;
using Whereabouts.Agent.Protocol;
using Whereabouts.Agent.Tests.Support;

namespace Whereabouts.Agent.Tests;

/// <summary>Frames the agent must refuse without acting on them (the handler never runs), answering what it can.</summary>
public sealed class AgentMalformedFrameTests
{
    public static TheoryData<string, byte[], AgentFrameKind?> Cases => new()
    {
        { "not our magic", Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"), AgentFrameKind.Rejected },
        { "unknown kind", Frame(AgentProtocol.Current, 9, 2, "{}"), AgentFrameKind.Rejected },
        { "an answer sent to the agent", Frame(AgentProtocol.Current, (byte)AgentFrameKind.Answer, 2, "{}"), AgentFrameKind.Rejected },
        { "oversized body, refused unread", Frame(AgentProtocol.Current, 1, AgentFrame.MaxBodySize + 1, string.Empty), AgentFrameKind.Rejected },
        { "body not JSON", Frame(AgentProtocol.Current, 1, 5, "hello"), AgentFrameKind.Rejected },
        { "body JSON without the required members", Frame(AgentProtocol.Current, 1, 2, "{}"), AgentFrameKind.Rejected },
        { "body JSON null", Frame(AgentProtocol.Current, 1, 4, "null"), AgentFrameKind.Rejected },
        { "body shorter than announced, then EOF", Frame(AgentProtocol.Current, 1, 100, "{}"), null },
        { "header cut short, then EOF", [(byte)'W', (byte)'A', 0], null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_Refused_HandlerNeverRuns(string what, byte[] bytes, AgentFrameKind? expected)
    {
        using var path = new SocketPath();
        var handler = new FakeHandler();
        await using var server = RunningServer.Start(path.Path, handler);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path.Path), TestContext.Current.CancellationToken);

        await socket.SendAsync(bytes, TestContext.Current.CancellationToken);
        socket.Shutdown(SocketShutdown.Send);
        var reply = await ReadToEndAsync(socket);

        if (expected is { } kind)
        {
            Assert.True(reply.Length == AgentFrame.HeaderSize, $"{what}: {reply.Length} bytes of reply");
            Assert.Equal(kind, (AgentFrameKind)reply[4]);
        }
        else
        {
            Assert.True(reply.Length == 0, $"{what}: {reply.Length} bytes of reply");
        }

        Assert.Empty(handler.Requests);
    }

    private static byte[] Frame(ushort version, byte kind, int length, string body)
    {
        var bytes = new byte[AgentFrame.HeaderSize + Encoding.UTF8.GetByteCount(body)];
        bytes[0] = (byte)'W';
        bytes[1] = (byte)'A';
        bytes[2] = (byte)(version >> 8);
        bytes[3] = (byte)version;
        bytes[4] = kind;
        bytes[5] = (byte)(length >> 24);
        bytes[6] = (byte)(length >> 16);
        bytes[7] = (byte)(length >> 8);
        bytes[8] = (byte)length;
        Encoding.UTF8.GetBytes(body, bytes.AsSpan(AgentFrame.HeaderSize));
        return bytes;
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[256];
        int read;
        while ((read = await socket.ReceiveAsync(chunk, TestContext.Current.CancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
