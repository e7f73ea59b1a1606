using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi.Metadata;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>The request-body checks kube-apiserver's create, update and patch handlers make before storage.</summary>
internal static class ObjectChecks
{
    /// <summary>
    /// The decoder's checks: a custom resource must carry its kind (the unstructured decoder
    /// refuses one without), and a present apiVersion must be the URL's.
    /// </summary>
    public static void CheckTypeMeta(ResourceDefinition resource, JsonObject body)
    {
        var kind = body["kind"] is JsonValue k && k.TryGetValue<string>(out var kindText) ? kindText : "";
        var apiVersion = body["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var versionText) ? versionText : "";
        if (kind.Length == 0 && resource.IsCustomResource)
        {
            var raw = body.ToJsonString();
            var summary = raw.Length > 30 ? raw[..30] + " ..." : raw;
            throw ApiErrors.BadRequest(
                $"the object provided is unrecognized (must be of type {resource.Kind}): Object 'Kind' is missing in '{raw}' ({summary})");
        }

        if (apiVersion.Length > 0 && apiVersion != resource.ApiVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }

        if (kind.Length > 0 && kind != resource.Kind)
        {
            throw ApiErrors.BadRequest(
                $"the object provided is unrecognized (must be of type {resource.Kind}): no kind {FieldError.GoQuote(kind)} is registered for version {FieldError.GoQuote(resource.ApiVersion)}");
        }

        body["apiVersion"] = resource.ApiVersion;
        body["kind"] = resource.Kind;
    }

    /// <summary>rest.EnsureObjectNamespaceMatchesRequestNamespace.</summary>
    public static void EnsureNamespace(ResourceDefinition resource, JsonObject metadata, string? requestNamespace)
    {
        var objectNamespace = ObjectMeta.GetString(metadata, "namespace");
        var expected = resource.Namespaced ? requestNamespace ?? "" : "";
        if (objectNamespace == expected)
        {
            return;
        }

        if (objectNamespace.Length == 0 || expected.Length == 0)
        {
            if (expected.Length == 0)
            {
                metadata.Remove("namespace");
            }
            else
            {
                metadata["namespace"] = expected;
            }

            return;
        }

        throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
    }

    /// <summary>checkName: the object's name must be the URL's.</summary>
    public static void CheckName(JsonObject metadata, string name)
    {
        var objectName = ObjectMeta.GetString(metadata, "name");
        if (objectName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({objectName}) does not match the name on the URL ({name})");
        }
    }

    /// <summary>The defaulting and PrepareForCreate of the built-in kinds that matter here.</summary>
    public static void ApplyCreateDefaults(ResourceDefinition resource, JsonObject body)
    {
        if (resource.IsPods)
        {
            var spec = body["spec"] as JsonObject ?? new JsonObject();
            body["spec"] = spec;
            spec["terminationGracePeriodSeconds"] ??= 30;
            spec["restartPolicy"] ??= "Always";
            spec["schedulerName"] ??= "default-scheduler";

            // PrepareForCreate: a new pod's status is the server's, not the client's.
            body["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
        }
        else if (resource.IsNamespaces)
        {
            body["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            body["status"] = new JsonObject { ["phase"] = "Active" };
        }
    }

    /// <summary>Labels the apiserver adds once the name is known (namespaces carry their own name).</summary>
    public static void ApplyNameDefaults(ResourceDefinition resource, JsonObject metadata)
    {
        if (resource.IsNamespaces)
        {
            var labels = metadata["labels"] as JsonObject ?? new JsonObject();
            metadata["labels"] = labels;
            labels["kubernetes.io/metadata.name"] = ObjectMeta.GetString(metadata, "name");
        }
    }

    /// <summary>
    /// The main resource of a pod cannot change its status, and its status subresource can change
    /// nothing but status (pod PrepareForUpdate / podStatusStrategy).
    /// </summary>
    public static JsonObject ScopeToSubresource(ResourceDefinition resource, JsonObject updated, JsonObject current, string? subresource)
    {
        if (subresource == "status")
        {
            var merged = (JsonObject)current.DeepClone();
            merged["status"] = updated["status"]?.DeepClone();
            var metadata = (JsonObject)merged["metadata"]!;
            var updatedMetadata = (JsonObject)updated["metadata"]!;
            metadata["resourceVersion"] = updatedMetadata["resourceVersion"]?.DeepClone();
            if (updatedMetadata["uid"] is not null)
            {
                metadata["uid"] = updatedMetadata["uid"]!.DeepClone();
            }

            return merged;
        }

        if (resource.IsPods)
        {
            updated["status"] = current["status"]?.DeepClone();
        }

        return updated;
    }
}
