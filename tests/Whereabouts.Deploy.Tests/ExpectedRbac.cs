namespace Whereabouts.Deploy.Tests;

/// <summary>The Kubernetes API calls the plugin and controller make: the RBAC must grant exactly these.</summary>
internal static class ExpectedRbac
{
    /// <summary>
    /// Everything the service account may do cluster-wide, each with the code that needs it. <see cref="ApiCallSites"/>
    /// derives the same set from the source, and RbacDerivationTests holds the two together.
    /// </summary>
    public static readonly IReadOnlySet<string> ClusterPermissions = new SortedSet<string>(StringComparer.Ordinal)
    {
        "whereabouts.cni.cncf.io/ippools:get",                          // plugin ADD/DEL, node controller (WhereaboutsClient.GetPoolAsync)
        "whereabouts.cni.cncf.io/ippools:list",                         // plugin STATUS probe, reconcile, pool metrics (ListPoolsAsync, ProbeAsync)
        "whereabouts.cni.cncf.io/ippools:watch",                        // node agent's shared store cache (WatchPoolsAsync)
        "whereabouts.cni.cncf.io/ippools:create",                       // plugin ADD of a network's first address (CreatePoolAsync)
        "whereabouts.cni.cncf.io/ippools:patch",                        // every pool write (TryUpdatePoolAsync)
        "whereabouts.cni.cncf.io/overlappingrangeipreservations:get",    // plugin ADD/DEL, node controller (GetReservationAsync)
        "whereabouts.cni.cncf.io/overlappingrangeipreservations:list",   // reconcile (ListReservationsAsync)
        "whereabouts.cni.cncf.io/overlappingrangeipreservations:watch",  // node agent's shared store cache (WatchReservationsAsync)
        "whereabouts.cni.cncf.io/overlappingrangeipreservations:create", // plugin ADD (CreateReservationAsync)
        "whereabouts.cni.cncf.io/overlappingrangeipreservations:delete", // plugin DEL, node controller, reconcile (DeleteReservationAsync)
        "whereabouts.cni.cncf.io/nodeslicepools:get",                   // plugin and agent in node-slice mode (GetNodeSlicePoolAsync)
        "whereabouts.cni.cncf.io/nodeslicepools:list",                  // slice controller, node agent's cache (ListNodeSlicePoolsWithVersionAsync)
        "whereabouts.cni.cncf.io/nodeslicepools:watch",                 // slice controller, node agent's cache (WatchNodeSlicePoolsAsync)
        "whereabouts.cni.cncf.io/nodeslicepools:create",                // slice controller (CreateNodeSlicePoolAsync)
        "whereabouts.cni.cncf.io/nodeslicepools:update",                // slice controller (TryReplaceNodeSlicePoolAsync)
        "core/pods:get",                                                 // plugin GC (GetPodPlacementAsync), controller (GetPodAsync)
        "core/pods:list",                                                // node controller, reconcile (ClusterApi.ListPodsAsync)
        "core/pods:watch",                                               // node controller (ClusterApi.WatchPodsAsync)
        "core/nodes:list",                                               // slice controller (ClusterApi.ListNodeNamesAsync)
        "core/nodes:watch",                                              // slice controller (ClusterApi.WatchNodesAsync)
        "core/events:create",                                            // node controller's pod events (ClusterApi.CreateEventAsync)
        "k8s.cni.cncf.io/network-attachment-definitions:get",           // node controller (ClusterApi.GetNetworkConfigAsync)
        "k8s.cni.cncf.io/network-attachment-definitions:list",          // pool metrics windows, slice controller (ClusterApi.ListNetworkDefinitionsAsync)
        "k8s.cni.cncf.io/network-attachment-definitions:watch",         // slice controller (ClusterApi.WatchNetworkDefinitionsAsync)
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
