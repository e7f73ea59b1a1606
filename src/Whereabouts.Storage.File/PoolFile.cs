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
    public static byte[] Write(string range, long version, IReadOnlyDictionary<UInt128, PoolAllocation> allocations)
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
            var unreadable = new List<string>();
            foreach (var entry in root.GetProperty("allocations").EnumerateObject())
            {
                if (!UInt128.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                {
                    unreadable.Add(entry.Name);
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

internal sealed record PoolFileContent(string Range, long Version, Dictionary<UInt128, PoolAllocation> Allocations, List<string> Unreadable);
