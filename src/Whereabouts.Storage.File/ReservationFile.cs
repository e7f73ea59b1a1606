using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.File;

/// <summary>
/// The on-disk form of a reservation, shaped like an OverlappingRangeIPReservation's spec plus a unique id that
/// makes a delete conditional: <c>{"podref":"ns/pod","ifname":"net1","containerid":"…","uid":"…","created":"…"}</c>.
/// </summary>
internal static class ReservationFile
{
    public static byte[] Write(string podRef, string ifName, string containerId, string uid, DateTimeOffset created, ProcessIdentity creator)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("podref", podRef);
            json.WriteString("ifname", ifName);
            json.WriteString("containerid", containerId);
            json.WriteString("uid", uid);
            json.WriteString("created", created.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("pid", creator.Pid);
            json.WriteNumber("pidstart", creator.StartTicks);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static (Reservation Reservation, ProcessIdentity Creator) Read(string name, byte[] content, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            var creator = root.TryGetProperty("pid", out var pid) && root.TryGetProperty("pidstart", out var start)
                ? new ProcessIdentity(pid.GetInt32(), start.GetInt64())
                : default;
            return (new Reservation(
                name,
                root.GetProperty("podref").GetString() ?? string.Empty,
                root.TryGetProperty("ifname", out var ifName) ? ifName.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("containerid", out var containerId) ? containerId.GetString() : null,
                root.GetProperty("uid").GetString() ?? throw new InvalidDataException("uid is null"),
                root.TryGetProperty("created", out var created) ? created.GetDateTimeOffset() : null), creator);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or InvalidDataException or FormatException)
        {
            throw new StoreDataException($"file datastore: reservation file {path} is damaged: {ex.Message}", ex);
        }
    }
}
