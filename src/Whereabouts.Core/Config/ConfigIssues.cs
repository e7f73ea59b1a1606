namespace Whereabouts.Core.Config;

/// <summary>Collects issues while reading; every error names its key, and reading carries on to find them all.</summary>
internal sealed class ConfigIssues
{
    private readonly List<ConfigIssue> _items = [];

    public IReadOnlyList<ConfigIssue> Items => _items;

    public bool HasErrors => _items.Exists(static i => i.Severity == ConfigSeverity.Error);

    /// <summary>
    /// When set, errors in settings that only matter for handing out addresses become warnings, so that a release
    /// (DEL) still works for a configuration whose exclude or gateway is broken.
    /// </summary>
    public bool ForRelease { get; init; }

    /// <summary>True when <paramref name="key"/> already has an error, so a follow-on error would only repeat it.</summary>
    public bool HasErrorAt(string key) => _items.Exists(i => i.Severity == ConfigSeverity.Error && i.Key == key);

    public void Error(string key, string message) => _items.Add(new ConfigIssue(ConfigSeverity.Error, key, message));

    public void Warning(string key, string message) => _items.Add(new ConfigIssue(ConfigSeverity.Warning, key, message));

    public void Debug(string key, string message) => _items.Add(new ConfigIssue(ConfigSeverity.Debug, key, message));

    /// <summary>An error that does not stop a release.</summary>
    public void AllocationError(string key, string message)
    {
        if (ForRelease)
        {
            Warning(key, message + " (ignored while releasing)");
        }
        else
        {
            Error(key, message);
        }
    }
}
