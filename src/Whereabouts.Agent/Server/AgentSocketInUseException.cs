namespace Whereabouts.Agent.Server;

/// <summary>Another live agent serves the socket path; this one must not take it over.</summary>
public sealed class AgentSocketInUseException : Exception
{
    public AgentSocketInUseException(string message)
        : base(message)
    {
    }

    public AgentSocketInUseException()
    {
    }

    public AgentSocketInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
