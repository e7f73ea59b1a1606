namespace Whereabouts.Core.Config;

/// <summary>The outcome of reading a configuration: the model when usable, and every issue found.</summary>
public sealed record IpamConfigReadResult(IpamConfig? Config, IReadOnlyList<ConfigIssue> Issues)
{
    /// <summary>The configuration's IPAM type is not whereabouts (or it has none): not ours to handle.</summary>
    public bool NotWhereabouts { get; init; }

    public IEnumerable<ConfigIssue> Errors => Issues.Where(static i => i.Severity == ConfigSeverity.Error);

    public IEnumerable<ConfigIssue> Warnings => Issues.Where(static i => i.Severity == ConfigSeverity.Warning);

    /// <summary>All errors on one line, each naming its key.</summary>
    public string ErrorSummary => string.Join("; ", Errors);
}
