using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Whereabouts.Testing.Tests.Support;

// Test-side models of the CRDs, as a client of the server would define them.
internal sealed class IpPool : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "whereabouts.cni.cncf.io";
    public const string Version = "v1alpha1";
    public const string Plural = "ippools";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{Group}/{Version}";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "IPPool";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public IpPoolSpec Spec { get; set; } = new();

    public static IpPool Create(string name, string range = "10.0.0.0/24", string? namespaceName = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = namespaceName },
        Spec = new IpPoolSpec { Range = range },
    };
}

internal sealed class IpPoolSpec
{
    [JsonPropertyName("range")]
    public string Range { get; set; } = "";

    [JsonPropertyName("allocations")]
    public Dictionary<string, IpAllocation> Allocations { get; set; } = [];
}

internal sealed class IpAllocation
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("podref")]
    public string PodRef { get; set; } = "";

    [JsonPropertyName("ifname")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IfName { get; set; }
}

internal sealed class IpPoolList
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public List<IpPool> Items { get; set; } = [];
}

internal sealed class OverlappingRangeIpReservation : IKubernetesObject<V1ObjectMeta>
{
    public const string Plural = "overlappingrangeipreservations";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{IpPool.Group}/{IpPool.Version}";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "OverlappingRangeIPReservation";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ReservationSpec Spec { get; set; } = new();
}

internal sealed class ReservationSpec
{
    [JsonPropertyName("containerid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ContainerId { get; set; }

    [JsonPropertyName("podref")]
    public string PodRef { get; set; } = "";

    [JsonPropertyName("ifname")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IfName { get; set; }
}

[JsonSerializable(typeof(IpPool))]
[JsonSerializable(typeof(IpPoolList))]
[JsonSerializable(typeof(OverlappingRangeIpReservation))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
