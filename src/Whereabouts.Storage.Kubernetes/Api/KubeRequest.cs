namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>What a request does, in RBAC terms, so errors can name the verb, resource, group and namespace.</summary>
/// <param name="Verb">The RBAC verb: get, list, create, patch, delete.</param>
/// <param name="Resource">The resource plural, e.g. <c>ippools</c>.</param>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Namespace">The namespace; null for a cluster-wide request.</param>
/// <param name="Name">The object name, when the request names one.</param>
public sealed record KubeRequest(string Verb, string Resource, string Group, string? Namespace, string? Name = null)
{
    /// <summary>The resource as RBAC spells it: <c>ippools.whereabouts.cni.cncf.io</c>, or <c>pods</c> for the core group.</summary>
    public string QualifiedResource => Group.Length == 0 ? Resource : Resource + "." + Group;

    public string Scope => Namespace is null ? "all namespaces" : $"namespace {Namespace}";

    public override string ToString() =>
        $"{Verb} {QualifiedResource}{(Name is null ? string.Empty : " " + Name)} in {Scope}";
}
