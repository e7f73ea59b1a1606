using System.Globalization;
using Microsoft.Extensions.Logging;
using Whereabouts.Core.Config;

namespace Whereabouts.Plugin.Logging;

/// <summary>
/// The plugin's logger: stderr and/or <c>log_file</c>, never stdout (stdout carries the CNI result). Lines look like
/// upstream's (<c>2026-11-28T02:04:19Z [error] message</c>) and the threshold is upstream's <c>log_level</c>:
/// debug shows everything, verbose adds informational lines, error shows errors and warnings, panic only fatal ones.
/// </summary>
internal sealed class PluginLogger : ILogger, IDisposable
{
    private readonly TextWriter _stderr;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private StreamWriter? _file;

    public PluginLogger(TextWriter stderr, TimeProvider time)
    {
        _stderr = stderr;
        _time = time;
    }

    public LogLevelSetting Level { get; private set; } = LogLevelSetting.Error;

    /// <summary>Applies <c>log_level</c> and <c>log_file</c> once the configuration is known.</summary>
    public void Configure(LogLevelSetting? level, string? file)
    {
        if (level is { } l)
        {
            Level = l;
        }

        if (!string.IsNullOrEmpty(file) && _file is null)
        {
            try
            {
                var stream = new FileStream(file, new FileStreamOptions
                {
                    Mode = FileMode.Append,
                    Access = FileAccess.Write,
                    Share = FileShare.ReadWrite,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                });
                _file = new StreamWriter(stream) { AutoFlush = true };
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Write(LogLevel.Error, $"cannot open log_file {file}: {ex.Message}");
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= Threshold(Level);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            var message = formatter(state, exception);
            Write(logLevel, exception is null ? message : $"{message}: {exception.Message}");
        }
    }

    public void Dispose() => _file?.Dispose();

    private void Write(LogLevel level, string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ} [{Name(level)}] {message}");
        lock (_sync)
        {
            _stderr.WriteLine(line);
            _file?.WriteLine(line);
        }
    }

    private static LogLevel Threshold(LogLevelSetting level) => level switch
    {
        LogLevelSetting.Debug => LogLevel.Trace,
        LogLevelSetting.Verbose => LogLevel.Information,
        LogLevelSetting.Error => LogLevel.Warning,
        _ => LogLevel.Critical,
    };

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "verbose",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "panic",
    };
}
