using System.Text.Json.Nodes;

namespace Whereabouts.Testing.KubeApi;

/// <summary>A pod for <see cref="KubeApiStore.CreatePod"/>: the fields IPAM controllers look at.</summary>
public sealed record TestPod(string Name, string Namespace = "default")
{
    /// <summary>spec.nodeName; null leaves the pod unscheduled (and deletes it at once, as kube-apiserver does).</summary>
    public string? NodeName { get; init; } = "node-1";

    /// <summary>status.phase: Pending, Running, Succeeded, Failed or Unknown.</summary>
    public string Phase { get; init; } = "Running";

    /// <summary>metadata.uid; null lets the server choose.</summary>
    public string? Uid { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>metadata.ownerReferences, as JSON objects ({apiVersion, kind, name, uid, controller}).</summary>
    public IReadOnlyList<JsonObject> OwnerReferences { get; init; } = [];

    /// <summary>spec.terminationGracePeriodSeconds (kube-apiserver defaults it to 30).</summary>
    public long TerminationGracePeriodSeconds { get; init; } = 30;

    /// <summary>status.podIP, if any.</summary>
    public string? PodIp { get; init; }

    public JsonObject ToJson()
    {
        var metadata = new JsonObject { ["name"] = Name, ["namespace"] = Namespace };
        if (Uid is not null)
        {
            metadata["uid"] = Uid;
        }

        if (Labels.Count > 0)
        {
            metadata["labels"] = ToObject(Labels);
        }

        if (Annotations.Count > 0)
        {
            metadata["annotations"] = ToObject(Annotations);
        }

        if (OwnerReferences.Count > 0)
        {
            metadata["ownerReferences"] = new JsonArray([.. OwnerReferences.Select(o => o.DeepClone())]);
        }

        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.k8s.io/pause:3.10" }),
            ["terminationGracePeriodSeconds"] = TerminationGracePeriodSeconds,
            ["restartPolicy"] = "Always",
            ["schedulerName"] = "default-scheduler",
        };
        if (NodeName is not null)
        {
            spec["nodeName"] = NodeName;
        }

        var status = new JsonObject { ["phase"] = Phase, ["qosClass"] = "BestEffort" };
        if (PodIp is not null)
        {
            status["podIP"] = PodIp;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = PodIp });
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec, ["status"] = status };
    }

    private static JsonObject ToObject(IReadOnlyDictionary<string, string> values) =>
        new([.. values.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]);
}
