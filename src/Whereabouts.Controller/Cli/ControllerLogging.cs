using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Cli;

/// <summary>
/// Logging for every command: one line per message on stderr (stdout stays free for help and data), UTC timestamps.
/// Upstream's four levels map as the plugin maps them: <c>debug</c> shows everything, <c>verbose</c> adds
/// informational lines, <c>error</c> shows warnings and errors, <c>panic</c> only critical ones.
/// </summary>
internal static class ControllerLogging
{
    /// <summary>The lowest level written for an upstream log level.</summary>
    public static LogLevel Threshold(LogLevelSetting level) => level switch
    {
        LogLevelSetting.Debug => LogLevel.Trace,
        LogLevelSetting.Verbose => LogLevel.Information,
        LogLevelSetting.Error => LogLevel.Warning,
        _ => LogLevel.Critical,
    };

    /// <summary>
    /// A logger factory for a command; dispose it to flush the console queue before exiting. <paramref name="also"/>
    /// (<see cref="CliEnvironment.Logs"/>) receives every level, while the console keeps <paramref name="level"/>'s threshold.
    /// </summary>
    public static ILoggerFactory CreateFactory(LogLevelSetting level, ILoggerProvider? also = null) =>
        LoggerFactory.Create(builder =>
        {
            builder.AddControllerConsole(level);
            if (also is not null)
            {
                builder.SetMinimumLevel(LogLevel.Trace).AddFilter<ConsoleLoggerProvider>(null, Threshold(level)).AddProvider(also);
            }
        });

    /// <summary>Replaces the providers of <paramref name="builder"/> (e.g. a Generic Host's) with the controller's console logger.</summary>
    public static ILoggingBuilder AddControllerConsole(this ILoggingBuilder builder, LogLevelSetting level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .ClearProviders()
            .SetMinimumLevel(Threshold(level))
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
    }
}
