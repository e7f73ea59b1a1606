namespace Whereabouts.Deploy.Tests;

/// <summary>The Kubernetes API calls the plugin and controller make: the RBAC must grant exactly these.</summary>
internal static class ExpectedRbac
{
    public static readonly IReadOnlySet<string> ClusterPermissions = new SortedSet<string>(StringComparer.Ordinal)
    {
        "whereabouts.cni.cncf.io/ippools:get",
        "whereabouts.cni.cncf.io/ippools:list",
        "whereabouts.cni.cncf.io/ippools:watch",
        "whereabouts.cni.cncf.io/ippools:create",
        "whereabouts.cni.cncf.io/ippools:patch",
        "whereabouts.cni.cncf.io/overlappingrangeipreservations:get",
        "whereabouts.cni.cncf.io/overlappingrangeipreservations:list",
        "whereabouts.cni.cncf.io/overlappingrangeipreservations:create",
        "whereabouts.cni.cncf.io/overlappingrangeipreservations:delete",
        "whereabouts.cni.cncf.io/nodeslicepools:get",
        "whereabouts.cni.cncf.io/nodeslicepools:list",
        "whereabouts.cni.cncf.io/nodeslicepools:create",
        "whereabouts.cni.cncf.io/nodeslicepools:update",
        "core/pods:get",
        "core/pods:list",
        "core/pods:watch",
        "core/nodes:get",
        "core/nodes:list",
        "core/events:create",
        "core/events:patch",
        "events.k8s.io/events:create",
        "events.k8s.io/events:patch",
        "k8s.cni.cncf.io/network-attachment-definitions:get",
        "k8s.cni.cncf.io/network-attachment-definitions:list",
        "k8s.cni.cncf.io/network-attachment-definitions:watch",
    };

    /// <summary>Only the Leases that elect the in-DaemonSet reconcile runner and node-slice controller, in the whereabouts namespace.</summary>
    public static readonly IReadOnlySet<string> NamespacePermissions = new SortedSet<string>(StringComparer.Ordinal)
    {
        "coordination.k8s.io/leases:get",
        "coordination.k8s.io/leases:create",
        "coordination.k8s.io/leases:update",
    };

    /// <summary>Flattens a Role's or ClusterRole's rules into group/resource:verb triples.</summary>
    public static SortedSet<string> Permissions(Manifest role)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in role.Object["rules"]!.AsArray())
        {
            Assert.Null(rule!["resourceNames"]);
            Assert.Null(rule["nonResourceURLs"]);
            foreach (var group in rule["apiGroups"]!.AsArray().Select(g => (string)g!))
            {
                foreach (var resource in rule["resources"]!.AsArray().Select(r => (string)r!))
                {
                    foreach (var verb in rule["verbs"]!.AsArray().Select(v => (string)v!))
                    {
                        result.Add($"{(group.Length == 0 ? "core" : group)}/{resource}:{verb}");
                    }
                }
            }
        }

        return result;
    }
}
