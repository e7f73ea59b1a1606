namespace Whereabouts.Testing.KubeApi;

/// <summary>
/// One RBAC-like permission: verbs on resources of API groups, optionally limited to namespaces.
/// "*" matches anything in each list. Verbs are kube-apiserver's: get, list, watch, create,
/// update, patch, delete, deletecollection.
/// </summary>
public sealed record KubeApiAccessRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string>? Namespaces = null)
{
    /// <summary>A rule for the verbs on the resources of one group ("" is the core group).</summary>
    public static KubeApiAccessRule For(string apiGroup, string resource, params string[] verbs) =>
        new(verbs, [apiGroup], [resource]);

    public bool Allows(string verb, string group, string resource, string? namespaceName) =>
        Matches(Verbs, verb) && Matches(ApiGroups, group) && Matches(Resources, resource)
        && (Namespaces is null || (namespaceName is not null && Matches(Namespaces, namespaceName)));

    private static bool Matches(IReadOnlyList<string> allowed, string value) =>
        allowed.Any(a => a == "*" || string.Equals(a, value, StringComparison.Ordinal));
}
