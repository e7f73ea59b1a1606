using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Agent.Protocol;
using Whereabouts.Agent.Server;
using Whereabouts.Agent.Tests.Support;

namespace Whereabouts.Agent.Tests;

public sealed class AgentSocketFileTests
{
    [Fact]
    public async Task Bind_SocketMode_OwnerReadWriteOnly()
    {
        using var path = new SocketPath();
        await using var server = RunningServer.Start(path.Path, new FakeHandler());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path.Path));
    }

    [Fact]
    public async Task Bind_StaleSocketOfAKilledAgent_Replaced()
    {
        using var path = new SocketPath();

        // What SIGKILL leaves: the socket file, nobody listening (a disposed Socket would remove its file, so it stays open, unlistened).
        using var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        dead.Bind(new UnixDomainSocketEndPoint(path.Path));
        Assert.True(File.Exists(path.Path));
        await using (var server = RunningServer.Start(path.Path, new FakeHandler()))
        {
            var outcome = await Task.Run(() => new AgentClient(path.Path).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);
            Assert.NotNull(outcome.Answer);
        }
    }

    [Fact]
    public async Task Bind_LiveAgentOnThePath_RefusedAndLiveAgentKeepsServing()
    {
        using var path = new SocketPath();
        await using var live = RunningServer.Start(path.Path, new FakeHandler());

        Assert.Throws<AgentSocketInUseException>(() => AgentServer.Bind(path.Path, new FakeHandler(), NullLogger.Instance));

        var outcome = await Task.Run(() => new AgentClient(path.Path).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);
        Assert.NotNull(outcome.Answer);
    }

    [Fact]
    public void Bind_LiveListenerWithoutLockFile_NotStolen()
    {
        using var path = new SocketPath();
        using var other = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        other.Bind(new UnixDomainSocketEndPoint(path.Path));
        other.Listen();

        var ex = Assert.Throws<AgentSocketInUseException>(() => AgentServer.Bind(path.Path, new FakeHandler(), NullLogger.Instance));

        Assert.Contains("listening", ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(path.Path));
    }

    [Fact]
    public async Task Dispose_RemovesTheSocket()
    {
        using var path = new SocketPath();
        var server = RunningServer.Start(path.Path, new FakeHandler());

        await server.DisposeAsync();

        Assert.False(File.Exists(path.Path));
    }
}
