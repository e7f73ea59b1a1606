using System.Text.Json.Serialization;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>
/// The few fields of a pod the plugin needs (where it runs). Reading a whole V1Pod would pull KubernetesClient's model
/// graph into the plugin.
/// </summary>
public sealed class PodPlacement
{
    [JsonPropertyName("metadata")]
    public PodPlacementMetadata? Metadata { get; set; }

    [JsonPropertyName("spec")]
    public PodPlacementSpec? Spec { get; set; }

    public sealed class PodPlacementMetadata
    {
        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("namespace")]
        public string? Namespace { get; set; }

        [JsonPropertyName("uid")]
        public string? Uid { get; set; }
    }

    public sealed class PodPlacementSpec
    {
        [JsonPropertyName("nodeName")]
        public string? NodeName { get; set; }
    }
}
