using System.Globalization;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi.Json;
using Whereabouts.Testing.KubeApi.Metadata;
using Whereabouts.Testing.KubeApi.Resources;

namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>
/// One immutable stored version of an object: its canonical JSON (as it would sit in etcd) and the
/// identity, labels and selectable fields the store indexes on.
/// </summary>
internal sealed class StoredObject
{
    private StoredObject(string key, string namespaceName, string name, string uid, long revision, byte[] json,
        IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> fields)
    {
        Key = key;
        Namespace = namespaceName;
        Name = name;
        Uid = uid;
        Revision = revision;
        Json = json;
        Labels = labels;
        Fields = fields;
    }

    /// <summary>"namespace/name" for namespaced objects, "name" otherwise; orders like etcd keys.</summary>
    public string Key { get; }

    /// <summary>The namespace, or "" for cluster-scoped objects.</summary>
    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public long Revision { get; }

    public byte[] Json { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public IReadOnlyDictionary<string, string> Fields { get; }

    public static string KeyOf(ResourceDefinition resource, string? namespaceName, string name) =>
        resource.Namespaced ? $"{namespaceName}/{name}" : name;

    /// <summary>Stamps <paramref name="body"/> with <paramref name="revision"/> and freezes it.</summary>
    public static StoredObject Create(ResourceDefinition resource, JsonObject body, long revision)
    {
        var metadata = (JsonObject)body["metadata"]!;
        metadata["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        var namespaceName = resource.Namespaced ? ObjectMeta.GetString(metadata, "namespace") : "";
        var name = ObjectMeta.GetString(metadata, "name");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = name,
            ["metadata.namespace"] = namespaceName,
        };
        foreach (var field in resource.ExtraSelectableFields)
        {
            fields[field.Path] = field.Read(body);
        }

        return new StoredObject(KeyOf(resource, namespaceName, name), namespaceName, name, ObjectMeta.GetString(metadata, "uid"),
            revision, CanonicalJson.Serialize(body), ObjectMeta.GetMap(metadata, "labels"), fields);
    }

    public JsonObject ToJsonObject() => CanonicalJson.ParseObject(Json);

    /// <summary>This object's content re-stamped with another revision (what a DELETED event carries).</summary>
    public byte[] JsonAtRevision(long revision)
    {
        var copy = ToJsonObject();
        ((JsonObject)copy["metadata"]!)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        return CanonicalJson.Serialize(copy);
    }
}
