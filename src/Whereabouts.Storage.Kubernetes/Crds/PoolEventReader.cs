using System.Globalization;
using System.Text.Json;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>
/// Reads an IPPool from a watch event, or from the answer to a write, without building its allocations as CRD
/// objects: each allocation is read straight into the snapshot's form, and one that matches the cached snapshot's
/// entry at its offset is that entry, compared in the UTF-8 bytes without making a string. A node agent receives
/// every write to a pool anywhere in the cluster this way, and its own writes twice. Measured with <c>PoolEventBenchmarks</c> (bench/Whereabouts.Benchmarks, 2026-12-08, the 2-core
/// build machine): a 10,000-entry pool with one entry changed costs 0.36 MB and 2.8 ms per event instead of 4.3 MB and
/// 5.7 ms; that garbage is what the agent's memory grew by while pools were written.
/// </summary>
/// <remarks>
/// The result equals <c>CrdConversion.ToSnapshot</c>
/// of the fully deserialized object (a property test holds it to that): the same offsets, values, unreadable keys,
/// errors and shared entries. Members it does not use are skipped, not validated.
/// </remarks>
internal static class PoolEventReader
{
    /// <summary>The pool in <paramref name="utf8Json"/>; null for a JSON null.</summary>
    /// <param name="utf8Json">One IPPool object.</param>
    /// <param name="cached">The snapshot cached now under a pool name, whose unchanged allocations are shared.</param>
    /// <exception cref="JsonException">The JSON is malformed, or a member this reads has the wrong type.</exception>
    public static IPPool? Read(ReadOnlySpan<byte> utf8Json, Func<string, PoolSnapshot?> cached)
    {
        ArgumentNullException.ThrowIfNull(cached);
        var reader = new Utf8JsonReader(utf8Json);
        if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        // The name comes first, since it picks the snapshot to share with; kube-apiserver sends metadata before spec,
        // but JSON does not promise it, so this is a pass of its own (skipping is cheap).
        k8s.Models.V1ObjectMeta? metadata = new();
        var metadataReader = reader;
        ForEachMember(ref metadataReader, "the IPPool", (ref Utf8JsonReader r) =>
        {
            if (r.ValueTextEquals("metadata"u8))
            {
                r.Read();
                metadata = ReadMetadata(ref r);
                return;
            }

            r.Read();
            r.Skip();
        });

        var known = metadata?.Name is { } name ? cached(name)?.Allocations : null;
        IPPoolSpec? spec = null;
        ReadAllocations? allocations = null;
        ForEachMember(ref reader, "the IPPool", (ref Utf8JsonReader r) =>
        {
            if (r.ValueTextEquals("spec"u8))
            {
                r.Read();
                (spec, allocations) = ReadSpec(ref r, known);
                return;
            }

            r.Read();
            r.Skip();
        });

        return new IPPool { Metadata = metadata!, Spec = spec, ReadAllocations = spec is null ? null : allocations };
    }

    private delegate void MemberHandler(ref Utf8JsonReader reader);

    /// <summary>Calls <paramref name="handle"/> on each member name of the object the reader is at; it must read the value.</summary>
    private static void ForEachMember(ref Utf8JsonReader reader, string what, MemberHandler handle)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"{what} is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            handle(ref reader);
        }
    }

    private static k8s.Models.V1ObjectMeta? ReadMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var metadata = new k8s.Models.V1ObjectMeta();

        ForEachMember(ref reader, "metadata", (ref Utf8JsonReader r) =>
        {
            if (r.ValueTextEquals("name"u8))
            {
                metadata.Name = ReadString(ref r);
            }
            else if (r.ValueTextEquals("namespace"u8))
            {
                metadata.NamespaceProperty = ReadString(ref r);
            }
            else if (r.ValueTextEquals("uid"u8))
            {
                metadata.Uid = ReadString(ref r);
            }
            else if (r.ValueTextEquals("resourceVersion"u8))
            {
                metadata.ResourceVersion = ReadString(ref r);
            }
            else
            {
                r.Read();
                r.Skip();
            }
        });
        return metadata;
    }

    private static (IPPoolSpec? Spec, ReadAllocations? Allocations) ReadSpec(ref Utf8JsonReader reader, IReadOnlyDictionary<UInt128, PoolAllocation>? known)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (null, null);
        }

        var spec = new IPPoolSpec();
        ReadAllocations? allocations = null;
        ForEachMember(ref reader, "spec", (ref Utf8JsonReader r) =>
        {
            if (r.ValueTextEquals("range"u8))
            {
                spec.Range = ReadString(ref r);
            }
            else if (r.ValueTextEquals("allocations"u8))
            {
                // Sized for the cached pool: growing a 10,000-entry dictionary step by step would allocate it twice
                // over. A member given twice counts once, the last time, as in the deserializer.
                allocations = new ReadAllocations(new(known?.Count ?? 0), []);
                r.Read();
                ReadAllocationMap(ref r, known, allocations);
            }
            else
            {
                r.Read();
                r.Skip();
            }
        });
        return (spec, allocations ?? new ReadAllocations([], []));
    }

    private static void ReadAllocationMap(ref Utf8JsonReader reader, IReadOnlyDictionary<UInt128, PoolAllocation>? known, ReadAllocations into)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("spec.allocations is not a JSON object");
        }

        // No lambda here: this runs for every allocation of every event, and must allocate only what changed.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var unreadableName = TryReadOffset(ref reader, out var offset);
            reader.Read();
            var before = unreadableName is null && known is not null && known.TryGetValue(offset, out var cached) ? cached : null;
            var allocation = ReadAllocation(ref reader, before);
            if (unreadableName is null && allocation is not null)
            {
                into.Allocations[offset] = allocation;
                if (into.UnreadableKeys.Count > 0)
                {
                    // The same key given twice: the last value counts, as in the deserializer.
                    into.UnreadableKeys.Remove(CrdConversion.FormatOffset(offset));
                }
            }
            else
            {
                var key = unreadableName ?? CrdConversion.FormatOffset(offset);
                if (unreadableName is null)
                {
                    // A readable key given again with a null allocation: the null counts.
                    into.Allocations.Remove(offset);
                }

                if (!into.UnreadableKeys.Contains(key))
                {
                    into.UnreadableKeys.Add(key);
                }
            }
        }
    }

    /// <summary>
    /// Reads the member name as an offset (canonical decimal only, as <see cref="CrdConversion.TryParseOffset"/>):
    /// null when it is one, without making a string; the name itself when it is none.
    /// </summary>
    private static string? TryReadOffset(ref Utf8JsonReader reader, out UInt128 offset)
    {
        if (!reader.ValueIsEscaped && reader.ValueSpan is { Length: > 0 } digits
            && UInt128.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out offset)
            && (digits.Length == 1 || digits[0] != (byte)'0'))
        {
            return null;
        }

        var name = reader.GetString()!;
        return CrdConversion.TryParseOffset(name, out offset) ? null : name;
    }

    /// <summary>One allocation; null for a JSON null. <paramref name="known"/> is returned itself when nothing differs from it.</summary>
    private static PoolAllocation? ReadAllocation(ref Utf8JsonReader reader, PoolAllocation? known)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("an allocation is not a JSON object");
        }

        // Absent or null fields read as empty, as CrdConversion.ToAllocation makes them.
        string containerId = string.Empty, podRef = string.Empty, ifName = string.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                containerId = ReadField(ref reader, known?.ContainerId);
            }
            else if (reader.ValueTextEquals("podref"u8))
            {
                reader.Read();
                podRef = ReadField(ref reader, known?.PodRef);
            }
            else if (reader.ValueTextEquals("ifname"u8))
            {
                reader.Read();
                ifName = ReadField(ref reader, known?.IfName);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return known is not null
            && string.Equals(known.ContainerId, containerId, StringComparison.Ordinal)
            && string.Equals(known.PodRef, podRef, StringComparison.Ordinal)
            && string.Equals(known.IfName, ifName, StringComparison.Ordinal)
                ? known
                : new PoolAllocation(containerId, podRef, ifName);
    }

    /// <summary>A field's value: the known string itself when the bytes spell it, so that nothing is allocated.</summary>
    private static string ReadField(ref Utf8JsonReader reader, string? knownValue) => reader.TokenType switch
    {
        JsonTokenType.Null => string.Empty,
        JsonTokenType.String when knownValue is not null && reader.ValueTextEquals(knownValue) => knownValue,
        JsonTokenType.String => reader.GetString()!,
        _ => throw new JsonException($"expected a string in an allocation, found {reader.TokenType}"),
    };

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"expected a string, found {reader.TokenType}"),
        };
    }
}
