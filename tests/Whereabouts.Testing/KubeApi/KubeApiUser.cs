namespace Whereabouts.Testing.KubeApi;

/// <summary>
/// The identity a bearer token authenticates as. With <see cref="Rules"/> null the user may do
/// anything (like cluster-admin); otherwise only what some rule allows (like RBAC), and
/// everything else is answered 403 Forbidden.
/// </summary>
public sealed record KubeApiUser(string Name, IReadOnlyList<KubeApiAccessRule>? Rules = null)
{
    public bool IsAllowed(string verb, string group, string resource, string? namespaceName) =>
        Rules is null || Rules.Any(r => r.Allows(verb, group, resource, namespaceName));
}
