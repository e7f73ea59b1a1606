namespace Whereabouts.Core.Config;

/// <summary>Something the reader found, with the key that caused it (<c>ipRanges[1].range_start</c>).</summary>
public sealed record ConfigIssue(ConfigSeverity Severity, string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}
