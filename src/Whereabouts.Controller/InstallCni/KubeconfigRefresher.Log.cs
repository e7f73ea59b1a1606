using Microsoft.Extensions.Logging;

namespace Whereabouts.Controller.InstallCni;

internal sealed partial class KubeconfigRefresher
{
    /// <summary>The event of a tick that found the kubeconfig up to date (tests count ticks by it).</summary>
    internal const int UpToDateEventId = 111;

    /// <summary>The event of a tick that could not refresh the kubeconfig.</summary>
    internal const int RefreshFailedEventId = 113;

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "{Path}: {Reason}")]
    private static partial void LogWritten(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = UpToDateEventId, Level = LogLevel.Trace, Message = "{Path} is up to date")]
    private static partial void LogUnchanged(ILogger logger, string path);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Keeping {Path} in step with the service account in {ServiceAccountDir}")]
    private static partial void LogWatching(ILogger logger, string path, string serviceAccountDir);

    [LoggerMessage(EventId = RefreshFailedEventId, Level = LogLevel.Warning, Message = "Cannot refresh {Path}, keeping its last content and retrying: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "{Path} can be refreshed again")]
    private static partial void LogRecovered(ILogger logger, string path);

    [LoggerMessage(EventId = 115, Level = LogLevel.Debug, Message = "Stopped refreshing {Path}")]
    private static partial void LogStopped(ILogger logger, string path);
}
