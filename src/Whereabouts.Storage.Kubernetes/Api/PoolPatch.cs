using System.Buffers;
using System.Text;
using System.Text.Json;
using Whereabouts.Core.Allocation;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// The compare-and-swap JSON Patch (RFC 6902) for an IPPool: a <c>test</c> of <c>/metadata/resourceVersion</c>, then
/// one <c>remove</c> or <c>add</c> per changed offset, so unrelated keys (also keys we cannot read) are never touched.
/// </summary>
public static class PoolPatch
{
    /// <summary>Builds the patch text.</summary>
    /// <param name="resourceVersion">The version the change was planned against.</param>
    /// <param name="change">Removals and upserts.</param>
    /// <param name="replaceMap">
    /// True when the pool had no allocations at that version: then the whole map is added, which also works for
    /// hand-made objects that have no <c>spec.allocations</c> at all (the <c>test</c> guarantees it was empty).
    /// </param>
    public static string Build(string resourceVersion, PoolChange change, bool replaceMap)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceVersion);
        ArgumentNullException.ThrowIfNull(change);
        var buffer = new ArrayBufferWriter<byte>(128 + ((change.Upserts.Count + change.Removals.Count) * 160));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            WriteOp(json, "test", "/metadata/resourceVersion");
            json.WriteString("value", resourceVersion);
            json.WriteEndObject();

            if (replaceMap)
            {
                WriteOp(json, "add", "/spec/allocations");
                json.WriteStartObject("value");
                foreach (var (offset, allocation) in change.Upserts.OrderBy(static u => u.Key))
                {
                    json.WritePropertyName(CrdConversion.FormatOffset(offset));
                    WriteAllocation(json, allocation);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }
            else
            {
                foreach (var offset in change.Removals.Where(r => !change.Upserts.ContainsKey(r)).Distinct().Order())
                {
                    WriteOp(json, "remove", "/spec/allocations/" + CrdConversion.FormatOffset(offset));
                    json.WriteEndObject();
                }

                foreach (var (offset, allocation) in change.Upserts.OrderBy(static u => u.Key))
                {
                    // "add" on an existing member replaces it (RFC 6902 §4.1).
                    WriteOp(json, "add", "/spec/allocations/" + CrdConversion.FormatOffset(offset));
                    json.WritePropertyName("value");
                    WriteAllocation(json, allocation);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteOp(Utf8JsonWriter json, string op, string path)
    {
        json.WriteStartObject();
        json.WriteString("op", op);
        json.WriteString("path", path);
    }

    private static void WriteAllocation(Utf8JsonWriter json, PoolAllocation allocation)
    {
        json.WriteStartObject();
        json.WriteString("id", allocation.ContainerId);
        json.WriteString("podref", allocation.PodRef);
        json.WriteString("ifname", allocation.IfName);
        json.WriteEndObject();
    }
}
