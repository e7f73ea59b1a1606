using Whereabouts.Agent.Protocol;
using Whereabouts.Agent.Tests.Support;

namespace Whereabouts.Agent.Tests;

/// <summary>Rolling upgrades: a plugin and an agent of different protocol versions never act on each other's frames.</summary>
public sealed class AgentVersionTests
{
    [Fact]
    public async Task NewerPlugin_OlderAgent_AgentRefusesUnreadAndPluginFallsBack()
    {
        using var path = new SocketPath();
        var handler = new FakeHandler();
        await using var server = RunningServer.Start(path.Path, handler, AgentProtocol.Current);
        var newer = (ushort)(AgentProtocol.Current + 1);

        var outcome = await Task.Run(() => new AgentClient(path.Path, null, newer).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);

        Assert.Equal($"the agent speaks protocol version {AgentProtocol.Current}, this plugin {newer}", outcome.FallbackReason);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task OlderPlugin_NewerAgent_AgentRefusesUnreadAndPluginFallsBack()
    {
        using var path = new SocketPath();
        var handler = new FakeHandler();
        var newer = (ushort)(AgentProtocol.Current + 1);
        await using var server = RunningServer.Start(path.Path, handler, newer);

        var outcome = await Task.Run(() => new AgentClient(path.Path).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);

        Assert.Equal($"the agent speaks protocol version {newer}, this plugin {AgentProtocol.Current}", outcome.FallbackReason);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task AgentSpeakingBothVersions_ServesEither()
    {
        using var path = new SocketPath();
        var handler = new FakeHandler();
        var newer = (ushort)(AgentProtocol.Current + 1);
        await using var server = RunningServer.Start(path.Path, handler, AgentProtocol.Current, newer);

        var current = await Task.Run(() => new AgentClient(path.Path).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);
        var next = await Task.Run(() => new AgentClient(path.Path, null, newer).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);

        Assert.NotNull(current.Answer);
        Assert.NotNull(next.Answer);
        Assert.Equal(2, handler.Requests.Count);
    }
}
