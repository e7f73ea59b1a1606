using System.Net.Sockets;
using Whereabouts.Agent.Protocol;
using Whereabouts.Agent.Tests.Support;

namespace Whereabouts.Agent.Tests;

public sealed class AgentClientServerTests
{
    private static readonly AgentClientTimeouts Short = new(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));

    [Fact]
    public async Task Send_RunningAgent_RequestArrivesIntactAndAnswerReturns()
    {
        using var path = new SocketPath();
        var handler = new FakeHandler();
        await using var server = RunningServer.Start(path.Path, handler);
        var request = Requests.Add() with
        {
            RequestedIps = ["10.0.0.9"],
            Gateways = ["10.0.0.1"],
            FlatFilePath = "/etc/cni/net.d/whereabouts.d/whereabouts.conf",
            FlatFile = """{"kubernetes":{"kubeconfig":"/k"}}""",
            ValidAttachments = [new AgentAttachment("c", "eth0")],
        };

        var outcome = await Task.Run(() => new AgentClient(path.Path).Send(request, Requests.AnswerTimeout), TestContext.Current.CancellationToken);

        Assert.Null(outcome.FallbackReason);
        Assert.Equal("10.0.0.3", Assert.Single(outcome.Answer!.Addresses).Address);
        var received = Assert.Single(handler.Requests);
        Assert.Equal(request.RequestedIps, received.RequestedIps);
        Assert.Equal(request.Gateways, received.Gateways);
        Assert.Equal(request.ValidAttachments, received.ValidAttachments);
        Assert.Equal(request.PrevResultIps, received.PrevResultIps);
        Assert.Equal(
            request with { RequestedIps = [], Gateways = [], ValidAttachments = [], PrevResultIps = [] },
            received with { RequestedIps = request.RequestedIps, Gateways = request.Gateways, ValidAttachments = request.ValidAttachments, PrevResultIps = request.PrevResultIps } with { RequestedIps = [], Gateways = [], ValidAttachments = [], PrevResultIps = [] });
    }

    [Fact]
    public async Task Send_ErrorAnswer_ReturnedAsAnswerNotFallback()
    {
        using var path = new SocketPath();
        var handler = new FakeHandler { Answer = static _ => new AgentAnswer { Error = new AgentError(11, "busy", "details") } };
        await using var server = RunningServer.Start(path.Path, handler);

        var outcome = await Task.Run(() => new AgentClient(path.Path).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);

        Assert.Equal(new AgentError(11, "busy", "details"), outcome.Answer!.Error);
    }

    [Fact]
    public async Task Send_ManyAtOnce_AllInFlightTogether()
    {
        const int count = 50;
        using var path = new SocketPath();
        var release = new TaskCompletionSource();
        var handler = new FakeHandler { Gate = release.Task };
        await using var server = RunningServer.Start(path.Path, handler);

        // The client blocks its thread, as the plugin does: one thread each, so the server's thread pool is not starved.
        var calls = Enumerable.Range(0, count)
            .Select(i => Task.Factory.StartNew(
                () => new AgentClient(path.Path).Send(Requests.Add($"c{i}"), Requests.AnswerTimeout),
                TestContext.Current.CancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (handler.Requests.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(count, handler.Requests.Count);
        release.SetResult();
        var outcomes = await Task.WhenAll(calls);
        Assert.All(outcomes, o => Assert.NotNull(o.Answer));
    }

    [Fact]
    public void Send_NoSocket_FallsBackAtOnce()
    {
        using var path = new SocketPath();

        var outcome = new AgentClient(path.Path, Short).Send(Requests.Add(), Requests.AnswerTimeout);

        Assert.Contains("not reachable", outcome.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ListenerThatNeverAnswers_FallsBackAfterAcceptTimeout()
    {
        using var path = new SocketPath();
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        silent.Bind(new UnixDomainSocketEndPoint(path.Path));
        silent.Listen();

        var outcome = await Task.Run(() => new AgentClient(path.Path, Short).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);

        Assert.Equal("the agent did not answer in time", outcome.FallbackReason);
    }

    [Fact]
    public async Task Send_AgentStopsMidRequest_FallsBack()
    {
        using var path = new SocketPath();
        var handler = new FakeHandler { Gate = new TaskCompletionSource().Task };
        var server = RunningServer.Start(path.Path, handler);
        try
        {
            var call = Task.Run(() => new AgentClient(path.Path, Short).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);
            while (handler.Requests.IsEmpty)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }

            await server.StopAsync();
            var outcome = await call;

            Assert.Equal("the agent closed the connection before it answered", outcome.FallbackReason);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
