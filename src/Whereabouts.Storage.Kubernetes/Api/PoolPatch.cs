using System.Buffers;
using System.Text;
using System.Text.Json;
using Whereabouts.Core.Allocation;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// The compare-and-swap JSON Patch (RFC 6902) for an IPPool. Every changed offset is guarded by its own <c>test</c>:
/// that a new offset is still free (<c>null</c>, as upstream writes it) and that a removed or replaced one still holds
/// the container that was read. Writes to different addresses of one pool therefore never conflict with each other:
/// the API server applies each patch to the current object. Only the first write to an empty pool tests
/// <c>/metadata/resourceVersion</c>, because it adds the whole map. Unrelated keys (also keys we cannot read) are never
/// touched.
/// </summary>
public static class PoolPatch
{
    /// <summary>Builds the patch text.</summary>
    /// <param name="resourceVersion">The version the change was planned against.</param>
    /// <param name="current">The allocations as read at that version; the guards test them.</param>
    /// <param name="change">Removals and upserts.</param>
    /// <param name="replaceMap">
    /// True when the pool had no allocations at that version: then the whole map is added, which also works for
    /// hand-made objects that have no <c>spec.allocations</c> at all (the <c>test</c> guarantees it was empty).
    /// </param>
    public static string Build(
        string resourceVersion, IReadOnlyDictionary<UInt128, PoolAllocation> current, PoolChange change, bool replaceMap)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceVersion);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        var buffer = new ArrayBufferWriter<byte>(128 + ((change.Upserts.Count + change.Removals.Count) * 160));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            if (replaceMap)
            {
                WriteOp(json, "test", "/metadata/resourceVersion");
                json.WriteString("value", resourceVersion);
                json.WriteEndObject();

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
                    var path = "/spec/allocations/" + CrdConversion.FormatOffset(offset);
                    WriteGuard(json, offset, path, current);
                    WriteOp(json, "remove", path);
                    json.WriteEndObject();
                }

                foreach (var (offset, allocation) in change.Upserts.OrderBy(static u => u.Key))
                {
                    // "add" on an existing member replaces it (RFC 6902 §4.1).
                    var path = "/spec/allocations/" + CrdConversion.FormatOffset(offset);
                    WriteGuard(json, offset, path, current);
                    WriteOp(json, "add", path);
                    json.WritePropertyName("value");
                    WriteAllocation(json, allocation);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The offset still holds what was read: its container id, or nothing.</summary>
    private static void WriteGuard(Utf8JsonWriter json, UInt128 offset, string path, IReadOnlyDictionary<UInt128, PoolAllocation> current)
    {
        if (current.TryGetValue(offset, out var held))
        {
            WriteOp(json, "test", path + "/id");
            json.WriteString("value", held.ContainerId);
        }
        else
        {
            WriteOp(json, "test", path);
            json.WriteNull("value");
        }

        json.WriteEndObject();
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
