using System.Net.Sockets;
using System.Text.Json;

namespace Whereabouts.Agent.Protocol;

/// <summary>
/// The plugin's side of the protocol: one request per connection, synchronous (the plugin runs each call on its one
/// thread and starts no other). Every way the agent can fail to answer becomes <see cref="AgentOutcome.Fallback"/>;
/// only an <see cref="AgentFrameKind.Answer"/> of this client's own version is ever parsed.
/// </summary>
public sealed class AgentClient
{
    private readonly string _socketPath;
    private readonly AgentClientTimeouts _timeouts;
    private readonly ushort _version;

    public AgentClient(string socketPath, AgentClientTimeouts? timeouts = null)
        : this(socketPath, timeouts, AgentProtocol.Current)
    {
    }

    /// <summary>A client of another protocol version: tests play a newer or older plugin with it.</summary>
    internal AgentClient(string socketPath, AgentClientTimeouts? timeouts, ushort version)
    {
        _socketPath = socketPath;
        _timeouts = timeouts ?? AgentClientTimeouts.Default;
        _version = version;
    }

    /// <param name="request">The call.</param>
    /// <param name="answerTimeout">From "accepted" to the answer: the longest the agent may work on it.</param>
    public AgentOutcome Send(AgentRequest request, TimeSpan answerTimeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, AgentJsonContext.Default.AgentRequest);
        if (body.Length > AgentFrame.MaxBodySize)
        {
            return AgentOutcome.Fallback($"the request ({body.Length} bytes) is larger than the agent accepts");
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // A blocking connect on a unix socket waits only while the agent's accept queue is full, and then for at most SO_SNDTIMEO.
            socket.SendTimeout = Milliseconds(_timeouts.Connect);
            socket.Connect(new UnixDomainSocketEndPoint(_socketPath));
            var frame = new byte[AgentFrame.HeaderSize + body.Length];
            new AgentFrame(_version, AgentFrameKind.Request, body.Length).Write(frame);
            body.CopyTo(frame.AsSpan(AgentFrame.HeaderSize));
            socket.Send(frame);

            socket.ReceiveTimeout = Milliseconds(_timeouts.Accepted);
            var first = ReadHeader(socket, out var failure);
            if (first is null)
            {
                return AgentOutcome.Fallback(failure!);
            }

            var answer = first.Value;
            if (answer.Kind == AgentFrameKind.Accepted)
            {
                socket.ReceiveTimeout = Milliseconds(answerTimeout);
                var second = ReadHeader(socket, out failure);
                if (second is null)
                {
                    return AgentOutcome.Fallback(failure!);
                }

                answer = second.Value;
            }

            if (answer.Kind != AgentFrameKind.Answer)
            {
                return AgentOutcome.Fallback($"the agent answered {answer.Kind}");
            }

            var content = new byte[answer.Length];
            if (!ReadExactly(socket, content))
            {
                return AgentOutcome.Fallback("the agent closed the connection in the middle of its answer");
            }

            return JsonSerializer.Deserialize(content, AgentJsonContext.Default.AgentAnswer) is { } parsed
                ? AgentOutcome.Answered(parsed)
                : AgentOutcome.Fallback("the agent's answer is empty");
        }
        catch (SocketException ex)
        {
            return AgentOutcome.Fallback(ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock
                ? "the agent did not answer in time"
                : $"the agent is not reachable: {ex.SocketErrorCode}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return AgentOutcome.Fallback($"the agent's answer is not valid: {ex.Message}");
        }
    }

    private AgentFrame? ReadHeader(Socket socket, out string? failure)
    {
        Span<byte> header = stackalloc byte[AgentFrame.HeaderSize];
        if (!ReadExactly(socket, header))
        {
            failure = "the agent closed the connection before it answered";
            return null;
        }

        if (!AgentFrame.TryReadVersion(header, out var version))
        {
            failure = $"{_socketPath} does not speak the agent protocol";
            return null;
        }

        if (version != _version)
        {
            failure = $"the agent speaks protocol version {version}, this plugin {_version}";
            return null;
        }

        var frame = AgentFrame.Read(header, _version);
        failure = frame is null ? "the agent sent a malformed frame" : null;
        return frame;
    }

    private static bool ReadExactly(Socket socket, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
        }

        return true;
    }

    private static int Milliseconds(TimeSpan timeout) => (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
}
