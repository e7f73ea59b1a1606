using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>A page of whereabouts objects, as a list request returns it.</summary>
public abstract class WhereaboutsList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
{
    protected WhereaboutsList(string kind) => Kind = kind;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WhereaboutsApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2227:Collection properties should be read only", Justification = "IItems requires a setter.")]
    public IList<T> Items { get; set; } = [];
}
