using Microsoft.Extensions.Logging;

namespace Whereabouts.Agent.Server;

/// <remarks>Event IDs of this assembly: 700-719 the server, 720-739 <see cref="IpamRequestHandler"/>.</remarks>
public sealed partial class AgentServer
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Node agent listening on {Path} (protocol version {Version})")]
    private static partial void LogListening(ILogger logger, string path, ushort version);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Node agent: a plugin asked in protocol version {Version}, which this agent does not speak; it was told so and serves the call itself")]
    private static partial void LogUnsupportedVersion(ILogger logger, ushort version);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Node agent: request refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 703, Level = LogLevel.Debug, Message = "Node agent: the plugin left before its answer: {Reason}")]
    private static partial void LogClientGone(ILogger logger, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "Node agent: the plugin hung up before the answer to {Verb} of container {ContainerId}; the request was cancelled")]
    private static partial void LogHungUp(ILogger logger, string verb, string containerId);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Node agent: cannot remove {Path}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string path, string reason);
}
