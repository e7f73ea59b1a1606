using k8s;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>
/// Registers the CRD types with the client's one shared <see cref="KubernetesJson"/> options. The options freeze on
/// their first use, so this must run before any request; the store and client call it themselves, and a program that
/// uses <see cref="KubernetesJson"/> for anything else should call it first thing.
/// </summary>
public static class WhereaboutsJson
{
    private static readonly Lock Gate = new();
    private static volatile bool _registered;

    public static void EnsureRegistered()
    {
        if (_registered)
        {
            return;
        }

        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            try
            {
                KubernetesJson.AddJsonOptions(static o => o.TypeInfoResolverChain.Add(WhereaboutsJsonContext.Default));
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException(
                    "KubernetesJson was used before the whereabouts CRD types were registered; call WhereaboutsJson.EnsureRegistered() at startup", ex);
            }

            _registered = true;
        }
    }
}
