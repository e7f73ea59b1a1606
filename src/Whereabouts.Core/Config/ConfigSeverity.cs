namespace Whereabouts.Core.Config;

public enum ConfigSeverity
{
    /// <summary>Worth a debug line: a legacy key that no longer does anything.</summary>
    Debug,

    /// <summary>The configuration is accepted, but a setting is ignored the way upstream ignores it.</summary>
    Warning,

    /// <summary>The configuration cannot be used.</summary>
    Error,
}
