using Microsoft.Extensions.Logging;

namespace Whereabouts.Plugin;

internal static partial class PluginLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Command} container {ContainerId} interface {IfName} network {Network} pod {PodNamespace}/{PodName}")]
    public static partial void Invoked(ILogger logger, string command, string containerId, string ifName, string network, string? podNamespace, string? podName);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "configuration {Key}: {Message}")]
    public static partial void ConfigNote(ILogger logger, string key, string message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "configuration {Key}: {Message}")]
    public static partial void ConfigWarning(ILogger logger, string key, string message);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "{Command} failed for container {ContainerId} interface {IfName}: {Error}")]
    public static partial void Failed(ILogger logger, string command, string containerId, string ifName, string error);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "ADD done for container {ContainerId} interface {IfName}: {Addresses}")]
    public static partial void Allocated(ILogger logger, string containerId, string ifName, IEnumerable<Ipam.AllocatedAddress> addresses);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Command} done for container {ContainerId} interface {IfName}: {Count} addresses released")]
    public static partial void Released(ILogger logger, string command, string containerId, string ifName, int count);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Command}: the node agent at {Socket} did not answer ({Reason}); serving the call directly")]
    public static partial void AgentFallback(ILogger logger, string command, string socket, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "{Command} served by the node agent at {Socket}")]
    public static partial void AgentServed(ILogger logger, string command, string socket);
}
