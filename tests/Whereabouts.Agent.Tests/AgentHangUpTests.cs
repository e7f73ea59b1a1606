using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Agent.Protocol;
using Whereabouts.Agent.Server;
using Whereabouts.Agent.Tests.Support;

namespace Whereabouts.Agent.Tests;

/// <summary>
/// A plugin that hangs up before its answer (killed by the runtime, or it gave up and serves the call itself) cancels
/// its request, and a container's requests run in the order they came, so a DEL never overtakes the ADD before it.
/// </summary>
public sealed class AgentHangUpTests
{
    [Fact]
    public async Task Serve_PluginHangsUpBeforeTheAnswer_RequestIsCancelled()
    {
        using var path = new SocketPath();
        var handler = new BlockingHandler();
        await using var server = RunningServer.Start(path.Path, handler);

        // The client stops waiting after 300 ms and closes its socket, as a plugin that falls back does.
        var outcome = await Task.Run(() => new AgentClient(path.Path).Send(Requests.Add(), TimeSpan.FromMilliseconds(300)), TestContext.Current.CancellationToken);

        Assert.NotNull(outcome.FallbackReason);
        await handler.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Serve_PluginWaits_RequestIsNotCancelled()
    {
        using var path = new SocketPath();
        var handler = new FakeHandler { Gate = Task.Delay(500, TestContext.Current.CancellationToken) };
        await using var server = RunningServer.Start(path.Path, handler);

        var outcome = await Task.Run(() => new AgentClient(path.Path).Send(Requests.Add(), Requests.AnswerTimeout), TestContext.Current.CancellationToken);

        Assert.Null(outcome.FallbackReason);
        Assert.NotNull(outcome.Answer);
    }

    [Fact]
    public async Task RunAsync_SameContainer_SecondWaitsForTheFirst_OtherContainersDoNot()
    {
        var order = new AttachmentOrder();
        var addRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var addMayFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = new List<string>();
        var ct = TestContext.Current.CancellationToken;

        var add = order.RunAsync("c1", async () =>
        {
            addRunning.SetResult();
            await addMayFinish.Task;
            lock (events)
            {
                events.Add("add c1 done");
            }

            return 1;
        }, ct);
        await addRunning.Task;
        var del = order.RunAsync("c1", () =>
        {
            lock (events)
            {
                events.Add("del c1");
            }

            return Task.FromResult(2);
        }, ct);

        // Another container is served at once, while c1's ADD still runs; its completion is the signal that c1's DEL had its chance.
        Assert.Equal(3, await order.RunAsync("c2", () => Task.FromResult(3), ct));
        Assert.False(del.IsCompleted);
        addMayFinish.SetResult();

        Assert.Equal(1, await add);
        Assert.Equal(2, await del);
        Assert.Equal(["add c1 done", "del c1"], events);
        Assert.Equal(0, order.Active);
    }

    [Fact]
    public async Task HandleAsync_DelWhileTheAddOfItsContainerRuns_ServedAfterIt()
    {
        var store = new Whereabouts.Testing.Fakes.FakeIpamStore();
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var addMayGoOn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Reservations.BeforeCreate = async (_, _) =>
        {
            created.TrySetResult();
            await addMayGoOn.Task;
        };
        var handler = new IpamRequestHandler(store, NullLogger.Instance, TimeProvider.System);
        var ct = TestContext.Current.CancellationToken;
        var config = """{"cniVersion":"1.0.0","name":"n","type":"macvlan","ipam":{"type":"whereabouts","range":"10.0.0.0/24","kubernetes":{"kubeconfig":"/k"}}}""";

        var add = handler.HandleAsync(Requests.Add() with { NetworkConfig = config }, ct);
        await created.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var del = handler.HandleAsync(new AgentRequest { Verb = AgentVerb.Del, ContainerId = "c1", IfName = "net1", PodRef = "default/pod", NetworkConfig = config }, ct);
        addMayGoOn.SetResult();

        Assert.Null((await add).Error);
        Assert.Null((await del).Error);
        Assert.Empty(store.Pools.Entries());
        Assert.Empty(store.Reservations.All());
    }

    private sealed class BlockingHandler : IAgentHandler
    {
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<AgentAnswer> HandleAsync(AgentRequest request, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }

            return new AgentAnswer();
        }
    }
}
