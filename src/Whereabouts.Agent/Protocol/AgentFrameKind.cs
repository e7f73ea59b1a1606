namespace Whereabouts.Agent.Protocol;

/// <summary>What a frame carries. Values are part of the wire format: never renumber.</summary>
public enum AgentFrameKind : byte
{
    /// <summary>Plugin to agent: an <see cref="AgentRequest"/>.</summary>
    Request = 1,

    /// <summary>Agent to plugin, no body: the request was read and understood and is being worked on.</summary>
    Accepted = 2,

    /// <summary>Agent to plugin: an <see cref="AgentAnswer"/>, sent only once the datastore acknowledged the writes.</summary>
    Answer = 3,

    /// <summary>Either way, no body, the sender's own version in the header: "I do not speak your version".</summary>
    Unsupported = 4,

    /// <summary>Agent to plugin, no body: the frame was malformed or too big, and was not acted on.</summary>
    Rejected = 5,
}
