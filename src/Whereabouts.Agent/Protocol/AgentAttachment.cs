namespace Whereabouts.Agent.Protocol;

/// <summary>A pod interface a GC keeps.</summary>
public sealed record AgentAttachment(string ContainerId, string IfName);
