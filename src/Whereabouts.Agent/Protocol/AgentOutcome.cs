namespace Whereabouts.Agent.Protocol;

/// <summary>What the client got: the agent's answer, or why the plugin must serve the call itself.</summary>
public sealed record AgentOutcome
{
    private AgentOutcome(AgentAnswer? answer, string? fallbackReason)
    {
        Answer = answer;
        FallbackReason = fallbackReason;
    }

    public AgentAnswer? Answer { get; }

    /// <summary>Set when the agent did not answer (absent, too slow, gone mid-request, another protocol version).</summary>
    public string? FallbackReason { get; }

    public static AgentOutcome Answered(AgentAnswer answer) => new(answer, null);

    public static AgentOutcome Fallback(string reason) => new(null, reason);
}
