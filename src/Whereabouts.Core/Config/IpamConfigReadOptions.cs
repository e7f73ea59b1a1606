namespace Whereabouts.Core.Config;

/// <summary>How to read a configuration.</summary>
public sealed record IpamConfigReadOptions
{
    /// <summary>Looks up a flat file; null skips the flat file entirely.</summary>
    public Func<string, FlatFileLookup>? FlatFiles { get; init; }

    /// <summary>Searched after the default locations.</summary>
    public IReadOnlyList<string> ExtraFlatFilePaths { get; init; } = [];

    /// <summary>Reading for a release (DEL, GC): broken allocation-only settings do not fail the read.</summary>
    public bool ForRelease { get; init; }

    /// <summary>Require the datastore settings (a kubeconfig for the Kubernetes datastore). The controller, which has its own client, does not.</summary>
    public bool RequireDatastore { get; init; } = true;
}
