using System.Text.Json;
using k8s.Models;
using Whereabouts.Core.Naming;

namespace Whereabouts.Controller.NodeController;

/// <summary>
/// The NetworkAttachmentDefinitions a pod's interfaces came from. The request, <c>k8s.v1.cni.cncf.io/networks</c>, is
/// authoritative: names, <c>ns/name</c>, <c>name@interface</c>, or Multus' JSON list of <c>{name, namespace,
/// interface}</c>, an unqualified name being in the pod's namespace. Multus' <c>network-status</c> only adds hints: it
/// may be missing, late or malformed, and nothing here depends on it.
/// </summary>
internal static class PodNetworks
{
    public const string NetworksAnnotation = "k8s.v1.cni.cncf.io/networks";
    public const string StatusAnnotation = "k8s.v1.cni.cncf.io/network-status";
    public const string LegacyStatusAnnotation = "k8s.v1.cni.cncf.io/networks-status";

    public static IReadOnlyList<NetworkRef> Of(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var @namespace = pod.Metadata?.NamespaceProperty ?? "default";
        var annotations = pod.Metadata?.Annotations;
        var found = new List<NetworkRef>();
        if (annotations is null)
        {
            return found;
        }

        if (annotations.TryGetValue(NetworksAnnotation, out var requested))
        {
            found.AddRange(ParseRequest(requested, @namespace));
        }

        foreach (var key in new[] { StatusAnnotation, LegacyStatusAnnotation })
        {
            if (annotations.TryGetValue(key, out var status))
            {
                found.AddRange(ParseStatus(status, @namespace));
            }
        }

        return [.. found.Distinct()];
    }

    /// <summary>The networks of a <c>k8s.v1.cni.cncf.io/networks</c> value; nothing for a value that cannot be read.</summary>
    public static IEnumerable<NetworkRef> ParseRequest(string? value, string podNamespace)
    {
        var text = value?.Trim() ?? string.Empty;
        if (text.StartsWith('['))
        {
            return ParseList(text, podNamespace, isStatus: false);
        }

        var found = new List<NetworkRef>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var at = item.IndexOf('@', StringComparison.Ordinal);
            if (Qualify(at < 0 ? item : item[..at], podNamespace) is { } network)
            {
                found.Add(network);
            }
        }

        return found;
    }

    /// <summary>The non-default networks of a <c>network-status</c> value; nothing for a value that cannot be read.</summary>
    public static IEnumerable<NetworkRef> ParseStatus(string? value, string podNamespace) =>
        ParseList(value?.Trim() ?? string.Empty, podNamespace, isStatus: true);

    private static List<NetworkRef> ParseList(string text, string podNamespace, bool isStatus)
    {
        var found = new List<NetworkRef>();
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return found;
            }

            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !TryString(entry, "name", out var name)
                    || (isStatus && entry.TryGetProperty("default", out var isDefault) && isDefault.ValueKind == JsonValueKind.True))
                {
                    continue;
                }

                var qualified = !isStatus && TryString(entry, "namespace", out var @namespace) && @namespace.Length > 0
                    ? Qualify(@namespace + "/" + name, podNamespace)
                    : Qualify(name, podNamespace);
                if (qualified is { } network)
                {
                    found.Add(network);
                }
            }
        }
        catch (JsonException)
        {
            // A malformed annotation names nothing; Multus would have refused the pod anyway.
        }

        return found;
    }

    private static bool TryString(JsonElement entry, string property, out string value)
    {
        value = entry.TryGetProperty(property, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString()! : string.Empty;
        return value.Length > 0;
    }

    /// <summary>The reference a name stands for; null when it cannot name an object (so no request is made for it).</summary>
    private static NetworkRef? Qualify(string name, string podNamespace)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var network = slash < 0 ? new NetworkRef(podNamespace, name) : new NetworkRef(name[..slash], name[(slash + 1)..]);
        return Dns1123.IsSubdomain(network.Namespace) && Dns1123.IsSubdomain(network.Name) ? network : null;
    }
}
