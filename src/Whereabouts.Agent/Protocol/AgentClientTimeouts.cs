namespace Whereabouts.Agent.Protocol;

/// <summary>How long the plugin waits for the agent before it serves the call itself.</summary>
/// <param name="Connect">
/// Connecting: a live agent accepts a local connection in microseconds, and a missing one is refused at once; only an
/// agent too busy to drain its accept queue makes connect wait. 1 s is far beyond a healthy agent and far below the
/// runtime's own limits, so a stuck agent costs a pod one second.
/// </param>
/// <param name="Accepted">
/// From the request sent to the agent's "accepted" frame, which it sends as soon as it has read and parsed the request,
/// before any datastore work: 2 s tolerates a loaded node's scheduling delays.
/// </param>
public sealed record AgentClientTimeouts(TimeSpan Connect, TimeSpan Accepted)
{
    public static AgentClientTimeouts Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
}
