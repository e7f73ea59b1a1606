using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>The envelope every whereabouts object shares: apiVersion, kind, metadata.</summary>
public abstract class WhereaboutsObject : IKubernetesObject<V1ObjectMeta>
{
    protected WhereaboutsObject(string kind) => Kind = kind;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WhereaboutsApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
