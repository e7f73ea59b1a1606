using System.Buffers;
using System.Text.Json;
using Whereabouts.Testing.KubeApi.Json;
using Whereabouts.Testing.KubeApi.Resources;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>The discovery documents (/version, /api, /apis, APIGroup and APIResourceList) clients and kubectl read.</summary>
internal sealed class DiscoveryDocuments
{
    private static readonly string[] ResourceVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    private readonly ResourceCatalog _catalog;
    private readonly string _version;

    public DiscoveryDocuments(ResourceCatalog catalog, string version)
    {
        _catalog = catalog;
        _version = version;
    }

    public byte[] Version() => Write(w =>
    {
        var parts = _version.TrimStart('v').Split('.');
        w.WriteString("major", parts[0]);
        w.WriteString("minor", parts.Length > 1 ? parts[1] : "0");
        w.WriteString("gitVersion", _version);
        w.WriteString("gitCommit", "0000000000000000000000000000000000000000");
        w.WriteString("gitTreeState", "clean");
        w.WriteString("buildDate", "2025-01-01T00:00:00Z");
        w.WriteString("goVersion", "go1.24.0");
        w.WriteString("compiler", "gc");
        w.WriteString("platform", "linux/amd64");
    });

    public byte[] CoreVersions(string serverAddress) => Write(w =>
    {
        w.WriteString("kind", "APIVersions");
        w.WriteStartArray("versions");
        w.WriteStringValue("v1");
        w.WriteEndArray();
        w.WriteStartArray("serverAddressByClientCIDRs");
        w.WriteStartObject();
        w.WriteString("clientCIDR", "0.0.0.0/0");
        w.WriteString("serverAddress", serverAddress);
        w.WriteEndObject();
        w.WriteEndArray();
    });

    public byte[] Groups() => Write(w =>
    {
        w.WriteString("kind", "APIGroupList");
        w.WriteString("apiVersion", "v1");
        w.WriteStartArray("groups");
        foreach (var group in _catalog.GroupVersions.Select(g => g.Group).Where(g => g.Length > 0).Distinct())
        {
            w.WriteStartObject();
            WriteGroupBody(w, group);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public byte[] Group(string group) => Write(w =>
    {
        w.WriteString("kind", "APIGroup");
        w.WriteString("apiVersion", "v1");
        WriteGroupBody(w, group);
    });

    public byte[] Resources(string group, string version) => Write(w =>
    {
        w.WriteString("kind", "APIResourceList");
        w.WriteString("apiVersion", "v1");
        w.WriteString("groupVersion", group.Length == 0 ? version : $"{group}/{version}");
        w.WriteStartArray("resources");
        foreach (var resource in _catalog.All.Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal))
        {
            WriteResource(w, resource, resource.Plural, resource.Singular, ResourceVerbs);
            if (resource.IsPods)
            {
                WriteResource(w, resource, "pods/status", "", ["get", "patch", "update"]);
            }
        }

        w.WriteEndArray();
    });

    private static void WriteResource(Utf8JsonWriter w, ResourceDefinition resource, string name, string singular, IEnumerable<string> verbs)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("singularName", singular);
        w.WriteBoolean("namespaced", resource.Namespaced);
        w.WriteString("kind", resource.Kind);
        WriteStrings(w, "verbs", verbs);
        if (name == resource.Plural && resource.ShortNames.Count > 0)
        {
            WriteStrings(w, "shortNames", resource.ShortNames);
        }

        if (name == resource.Plural && resource.Categories.Count > 0)
        {
            WriteStrings(w, "categories", resource.Categories);
        }

        w.WriteEndObject();
    }

    private void WriteGroupBody(Utf8JsonWriter w, string group)
    {
        var versions = _catalog.GroupVersions.Where(g => g.Group == group).Select(g => g.Version).ToList();
        w.WriteString("name", group);
        w.WriteStartArray("versions");
        foreach (var version in versions)
        {
            WriteGroupVersion(w, null, group, version);
        }

        w.WriteEndArray();
        WriteGroupVersion(w, "preferredVersion", group, versions[0]);
    }

    private static void WriteGroupVersion(Utf8JsonWriter w, string? property, string group, string version)
    {
        if (property is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(property);
        }

        w.WriteString("groupVersion", $"{group}/{version}");
        w.WriteString("version", version);
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string property, IEnumerable<string> values)
    {
        w.WriteStartArray(property);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
