using k8s.Models;

namespace Whereabouts.Controller.Reconcile;

/// <summary>The pods of one list, by <c>namespace/name</c>: the pass's view of which pods exist.</summary>
internal sealed class PodDirectory
{
    private readonly Dictionary<PodRef, PodFacts> _pods;

    private PodDirectory(Dictionary<PodRef, PodFacts> pods)
    {
        _pods = pods;
    }

    public int Count => _pods.Count;

    public static PodDirectory From(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var byRef = new Dictionary<PodRef, PodFacts>();
        foreach (var pod in pods)
        {
            if (pod.Metadata is { Name: { Length: > 0 } name, NamespaceProperty: { Length: > 0 } @namespace })
            {
                byRef[new PodRef(@namespace, name)] = PodFacts.From(pod);
            }
        }

        return new PodDirectory(byRef);
    }

    public PodFacts? Find(PodRef podRef) => _pods.GetValueOrDefault(podRef);
}
