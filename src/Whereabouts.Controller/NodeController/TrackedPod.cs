using k8s.Models;

namespace Whereabouts.Controller.NodeController;

/// <summary>A pod of this node that asked for secondary networks: what its release needs once the pod is gone.</summary>
internal sealed record TrackedPod(string Namespace, string Name, string Uid, IReadOnlyList<NetworkRef> Networks)
{
    public string PodRef => Namespace + "/" + Name;

    /// <summary>The pod to track; null when it asked for no secondary network (nothing to release then).</summary>
    public static TrackedPod? From(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var metadata = pod.Metadata;
        if (metadata is not { Name: { Length: > 0 } name, NamespaceProperty: { Length: > 0 } @namespace, Uid: { Length: > 0 } uid })
        {
            return null;
        }

        var networks = PodNetworks.Of(pod);
        return networks.Count == 0 ? null : new TrackedPod(@namespace, name, uid, networks);
    }

    public override string ToString() => $"{PodRef} (uid {Uid})";
}
