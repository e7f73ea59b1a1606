using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Storage.File;

/// <summary>
/// The on-disk form of a pool, shaped like an IPPool's spec plus a version counter:
/// <c>{"range":"10.0.0.0/24","version":3,"allocations":{"2":{"id":"…","podref":"ns/pod","ifname":"net1"}}}</c>.
/// </summary>
internal static class PoolFile
{
    /// <param name="range">The pool's range, as stored.</param>
    /// <param name="version">The version this content gets.</param>
    /// <param name="allocations">Allocations by offset.</param>
    /// <param name="unreadable">Entries whose keys are not offsets, written back exactly as they were read.</param>
    public static byte[] Write(
        string range, long version, IReadOnlyDictionary<UInt128, PoolAllocation> allocations, IReadOnlyDictionary<string, string>? unreadable = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (allocations.Count * 96));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("range", range);
            json.WriteNumber("version", version);
            json.WriteStartObject("allocations");
            foreach (var (offset, allocation) in allocations.OrderBy(static a => a.Key))
            {
                json.WriteStartObject(offset.ToString(CultureInfo.InvariantCulture));
                json.WriteString("id", allocation.ContainerId);
                json.WriteString("podref", allocation.PodRef);
                json.WriteString("ifname", allocation.IfName);
                json.WriteEndObject();
            }

            foreach (var (key, raw) in unreadable ?? new Dictionary<string, string>())
            {
                json.WritePropertyName(key);
                json.WriteRawValue(raw);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static PoolFileContent Read(byte[] content, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            var range = root.GetProperty("range").GetString() ?? throw new InvalidDataException("range is null");
            var version = root.GetProperty("version").GetInt64();
            var allocations = new Dictionary<UInt128, PoolAllocation>();
            var unreadable = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in root.GetProperty("allocations").EnumerateObject())
            {
                if (!UInt128.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                {
                    unreadable[entry.Name] = entry.Value.GetRawText();
                    continue;
                }

                allocations[offset] = new PoolAllocation(
                    entry.Value.GetProperty("id").GetString() ?? string.Empty,
                    entry.Value.TryGetProperty("podref", out var podRef) ? podRef.GetString() ?? string.Empty : string.Empty,
                    entry.Value.TryGetProperty("ifname", out var ifName) ? ifName.GetString() ?? string.Empty : string.Empty);
            }

            return new PoolFileContent(range, version, allocations, unreadable);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or InvalidDataException or FormatException)
        {
            throw new StoreDataException($"file datastore: pool file {path} is damaged: {ex.Message}", ex);
        }
    }
}

/// <param name="Unreadable">Entries whose keys are not offsets: key and raw JSON value.</param>
internal sealed record PoolFileContent(string Range, long Version, Dictionary<UInt128, PoolAllocation> Allocations, Dictionary<string, string> Unreadable);
