using Microsoft.Extensions.Logging;

namespace Whereabouts.Controller.InstallCni;

internal sealed partial class CniInstaller
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Installed {Source} as {Destination}")]
    private static partial void LogInstalled(ILogger logger, string source, string destination);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Path}: written")]
    private static partial void LogWritten(ILogger logger, string path);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "{Path} is up to date")]
    private static partial void LogUnchanged(ILogger logger, string path);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Created {Path}")]
    private static partial void LogCreatedDirectory(ILogger logger, string path);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "No node name (--node or $NODENAME): {Path} not written")]
    private static partial void LogNoNodeName(ILogger logger, string path);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Removed {Count} temporary file(s) a killed install left in {Directory}")]
    private static partial void LogRemovedTemporaries(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "{Plugin} runs on this node: VERSION answered, CNI versions {Versions}")]
    private static partial void LogPluginRuns(ILogger logger, string plugin, IReadOnlyList<string> versions);
}
