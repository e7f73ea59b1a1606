namespace Whereabouts.Core.Config;

/// <summary>Upstream's log levels, from most to least verbose.</summary>
public enum LogLevelSetting
{
    Debug,
    Verbose,
    Error,
    Panic,
}
