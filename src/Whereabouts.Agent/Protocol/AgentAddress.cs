namespace Whereabouts.Agent.Protocol;

/// <summary>One allocated address; <paramref name="Range"/> indexes the configuration's ranges (which both sides read alike).</summary>
public sealed record AgentAddress(int Range, string Address, string? Gateway);
