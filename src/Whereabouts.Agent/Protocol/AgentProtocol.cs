namespace Whereabouts.Agent.Protocol;

/// <summary>Versions of the node agent protocol.</summary>
public static class AgentProtocol
{
    /// <summary>
    /// Version 1: one request per connection. Plugin sends Request; agent answers Accepted at once, then Answer (or
    /// Unsupported / Rejected instead of both). A new version is needed for any change a version-1 reader would
    /// misread; adding optional JSON members is not such a change.
    /// </summary>
    public const ushort Version1 = 1;

    public const ushort Current = Version1;
}
