namespace Whereabouts.Agent.Protocol;

/// <summary>The outcome of one request: <see cref="Error"/> set on failure; else for ADD the addresses, for DEL and GC how many were released.</summary>
public sealed record AgentAnswer
{
    public IReadOnlyList<AgentAddress> Addresses { get; init; } = [];

    public int Released { get; init; }

    /// <summary>The CNI error, with the code the plugin would have used in direct mode.</summary>
    public AgentError? Error { get; init; }
}
