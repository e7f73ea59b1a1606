namespace Whereabouts.Testing.KubeApi.Resources;

/// <summary>Every served resource, looked up by group/version/plural as URLs name them.</summary>
internal sealed class ResourceCatalog
{
    private readonly Dictionary<(string Group, string Version, string Plural), ResourceDefinition> _byPath = [];
    private readonly Dictionary<string, ResourceDefinition> _byName = new(StringComparer.Ordinal);

    public ResourceCatalog(IEnumerable<ResourceDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            _byPath[(definition.Group, definition.Version, definition.Plural)] = definition;
            _byName.TryAdd(definition.Plural, definition);
            _byName[definition.QualifiedResource] = definition;
        }

        All = [.. _byPath.Values];
        Namespaces = Find("", "v1", "namespaces") ?? throw new InvalidOperationException("namespaces must be served.");
    }

    public IReadOnlyList<ResourceDefinition> All { get; }

    public ResourceDefinition Namespaces { get; }

    /// <summary>Group/version pairs in a stable order (core first, then by group).</summary>
    public IEnumerable<(string Group, string Version)> GroupVersions =>
        All.Select(d => (d.Group, d.Version)).Distinct().OrderBy(g => g.Group.Length == 0 ? 0 : 1).ThenBy(g => g.Group, StringComparer.Ordinal);

    public bool ServesGroup(string group) => All.Any(d => d.Group == group);

    public ResourceDefinition? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault((group, version, plural));

    /// <summary>Finds a resource by plural ("ippools") or group-qualified plural ("ippools.whereabouts.cni.cncf.io").</summary>
    public ResourceDefinition Get(string resource) =>
        _byName.GetValueOrDefault(resource) ?? throw new ArgumentException($"The server does not serve '{resource}'.", nameof(resource));
}
