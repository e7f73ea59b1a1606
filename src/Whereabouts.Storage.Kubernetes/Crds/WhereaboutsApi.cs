namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>The API group, version and resource names of the whereabouts CRDs (upstream-compatible).</summary>
public static class WhereaboutsApi
{
    public const string Group = "whereabouts.cni.cncf.io";

    public const string Version = "v1alpha1";

    public const string ApiVersion = Group + "/" + Version;

    public const string IPPools = "ippools";

    public const string OverlappingRangeIPReservations = "overlappingrangeipreservations";

    public const string NodeSlicePools = "nodeslicepools";

    /// <summary>The namespace used when neither the options nor the kubeconfig context name one (as upstream).</summary>
    public const string DefaultNamespace = "kube-system";
}
