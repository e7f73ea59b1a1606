using System.Text.Json;

namespace Whereabouts.Cni;

/// <summary>
/// Reads the protocol-defined members of the network configuration on stdin. Each method maps malformed input to the
/// code the reference library uses for it (6 for decoding, 7 for the name).
/// </summary>
internal static class CniConfigReader
{
    private const string UnmarshallPrefix = "error unmarshall network config: ";

    public static JsonDocument Parse(ReadOnlyMemory<byte> stdin)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdin);
        }
        catch (JsonException ex)
        {
            throw Decoding(UnmarshallPrefix + ex.Message, ex);
        }

        try
        {
            CniJson.RequireObject(document.RootElement, "the network config");
        }
        catch (FormatException ex)
        {
            document.Dispose();
            throw Decoding(UnmarshallPrefix + ex.Message, ex);
        }

        return document;
    }

    public static string ReadName(JsonElement config)
    {
        var name = Decode(() => CniJson.GetString(config, "name", "name"), UnmarshallPrefix);
        CniNames.ValidateNetworkName(name);
        return name!;
    }

    /// <summary>The effective version: a missing, null or empty <c>cniVersion</c> means <see cref="CniVersions.Default"/>.</summary>
    public static string ReadVersion(JsonElement config)
    {
        var version = Decode(() => CniJson.GetString(config, "cniVersion", "cniVersion"), "decoding version from network config: ");
        return string.IsNullOrEmpty(version) ? CniVersions.Default : version;
    }

    /// <summary>
    /// The <c>prevResult</c>, or null. DEL is best-effort and "must return without error if prevResult is empty", so on
    /// DEL an unreadable one is dropped rather than failing the release.
    /// </summary>
    public static CniResult? ReadPrevResult(JsonElement config, CniCommand command)
    {
        if (!CniJson.TryGet(config, "prevResult", out var prevResult))
        {
            return null;
        }

        try
        {
            return CniResultReader.ReadCore(prevResult, "prevResult");
        }
        catch (FormatException) when (command == CniCommand.Del)
        {
            return null;
        }
        catch (FormatException ex)
        {
            throw Decoding($"could not parse prevResult: {ex.Message}", ex);
        }
    }

    public static string[] ReadRuntimeConfigIps(JsonElement config) => Decode(
        () => CniJson.GetObject(config, "runtimeConfig", "runtimeConfig") is { } runtimeConfig
            ? CniJson.GetStringList(runtimeConfig, "ips", "runtimeConfig.ips")
            : [],
        UnmarshallPrefix);

    public static string[] ReadArgsCniIps(JsonElement config) => Decode(
        () => CniJson.GetObject(config, "args", "args") is { } args
            && CniJson.GetObject(args, "cni", "args.cni") is { } cni
                ? CniJson.GetStringList(cni, "ips", "args.cni.ips")
                : [],
        UnmarshallPrefix);

    /// <summary>
    /// The union of both GC keys: spec 1.1.0 named it <c>cni.dev/attachments</c>, later text <c>cni.dev/valid-attachments</c>,
    /// and libcni sends both. Absent and null both mean "no valid attachments".
    /// </summary>
    public static CniAttachment[] ReadValidAttachments(JsonElement config) => Decode(
        () => ReadAttachments(config, "cni.dev/valid-attachments").Concat(ReadAttachments(config, "cni.dev/attachments"))
            .Distinct()
            .ToArray(),
        UnmarshallPrefix);

    private static IEnumerable<CniAttachment> ReadAttachments(JsonElement config, string key) =>
        CniJson.GetArray(config, key, key).Select(e =>
        {
            CniJson.RequireObject(e.Item, e.Path);
            return new CniAttachment(
                CniJson.GetString(e.Item, "containerID", $"{e.Path}.containerID") ?? "",
                CniJson.GetString(e.Item, "ifname", $"{e.Path}.ifname") ?? "");
        });

    private static T Decode<T>(Func<T> read, string prefix)
    {
        try
        {
            return read();
        }
        catch (FormatException ex)
        {
            throw Decoding(prefix + ex.Message, ex);
        }
    }

    private static CniException Decoding(string message, Exception? inner) =>
        new(new CniError(CniErrorCodes.DecodingFailure, message), inner);
}
