using System.Collections.Concurrent;
using Whereabouts.Agent.Protocol;
using Whereabouts.Agent.Server;

namespace Whereabouts.Agent.Tests.Support;

/// <summary>Records requests and answers with <see cref="Answer"/>, optionally after <see cref="Gate"/> opens.</summary>
internal sealed class FakeHandler : IAgentHandler
{
    public ConcurrentQueue<AgentRequest> Requests { get; } = new();

    public Func<AgentRequest, AgentAnswer> Answer { get; set; } = static r => new AgentAnswer
    {
        Addresses = [new AgentAddress(0, "10.0.0." + (r.ContainerId.Length + 1), null)],
    };

    public Task? Gate { get; set; }

    public async Task<AgentAnswer> HandleAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (Gate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        return Answer(request);
    }
}
