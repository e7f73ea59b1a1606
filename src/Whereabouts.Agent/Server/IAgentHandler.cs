using Whereabouts.Agent.Protocol;

namespace Whereabouts.Agent.Server;

/// <summary>Serves one request; returns only once the datastore acknowledged every write the answer reports.</summary>
public interface IAgentHandler
{
    /// <summary>Failures are answers (<see cref="AgentAnswer.Error"/>); only cancellation by <paramref name="cancellationToken"/> throws.</summary>
    Task<AgentAnswer> HandleAsync(AgentRequest request, CancellationToken cancellationToken);
}
