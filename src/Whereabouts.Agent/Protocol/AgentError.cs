namespace Whereabouts.Agent.Protocol;

/// <summary>A CNI error object as the agent computed it.</summary>
public sealed record AgentError(int Code, string Msg, string? Details);
