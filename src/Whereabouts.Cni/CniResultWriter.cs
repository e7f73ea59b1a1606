using System.Buffers;
using System.Text.Json;

namespace Whereabouts.Cni;

/// <summary>
/// Writes the documents a plugin puts on stdout: a result in a given spec version, the VERSION answer, and the error
/// object. The output is compact JSON (whitespace is not part of the contract).
/// </summary>
/// <remarks>
/// Result shapes follow the reference library's types: 1.0.0/1.1.0 (<c>types/100</c>), 0.3.0–0.4.0 (<c>types/040</c>)
/// and 0.1.0/0.2.0 (<c>types/020</c>). Members the reference marks <c>omitempty</c> are left out when empty.
/// </remarks>
public static class CniResultWriter
{
    /// <summary>
    /// Writes <paramref name="result"/> as <paramref name="cniVersion"/>. Throws <see cref="ArgumentException"/> for a
    /// version not in <see cref="CniVersions.Supported"/>, and a code-999 <see cref="CniException"/> when the result cannot
    /// be expressed in a 0.1.0/0.2.0 result (no address at all). Nothing is written when it throws.
    /// </summary>
    public static void WriteResult(IBufferWriter<byte> output, CniResult result, string cniVersion)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        if (!CniVersions.IsSupported(cniVersion))
        {
            throw new ArgumentException($"CNI version \"{cniVersion}\" is not supported.", nameof(cniVersion));
        }

        if (!CniVersions.SupportsMultipleIpsPerFamily(cniVersion))
        {
            // Converted before the writer exists so that a failed conversion leaves the output untouched.
            var legacy = CniLegacyResult.From(result);
            using var legacyWriter = new Utf8JsonWriter(output, CniJson.WriterOptions);
            legacy.Write(legacyWriter, cniVersion);
            return;
        }

        using var writer = new Utf8JsonWriter(output, CniJson.WriterOptions);
        var withVersion = CniVersions.HasIpVersionField(cniVersion);
        writer.WriteStartObject();
        writer.WriteString("cniVersion", cniVersion);
        if (result.Ips.Count > 0)
        {
            writer.WriteStartArray("ips");
            foreach (var ip in result.Ips)
            {
                writer.WriteStartObject();
                if (withVersion)
                {
                    writer.WriteString("version", ip.IsIPv4 ? "4" : "6");
                }

                writer.WriteString("address", ip.ToCidrString());
                WriteGateway(writer, ip);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (result.Routes.Count > 0)
        {
            writer.WriteStartArray("routes");
            foreach (var route in result.Routes)
            {
                WriteRoute(writer, route, full: true);
            }

            writer.WriteEndArray();
        }

        // types/040 has no omit logic for dns; types/100 leaves an empty one out.
        if (withVersion || !result.Dns.IsEmpty)
        {
            WriteDns(writer, result.Dns);
        }

        writer.WriteEndObject();
    }

    /// <inheritdoc cref="WriteResult(IBufferWriter{byte}, CniResult, string)"/>
    public static Task WriteResultAsync(Stream output, CniResult result, string cniVersion, CancellationToken cancellationToken = default) =>
        WriteToStreamAsync(output, buffer => WriteResult(buffer, result, cniVersion), cancellationToken);

    /// <summary>
    /// Writes the VERSION answer <c>{"cniVersion":…,"supportedVersions":[…]}</c> with every supported version.
    /// </summary>
    public static void WriteVersion(IBufferWriter<byte> output, string cniVersion)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(cniVersion);
        using var writer = new Utf8JsonWriter(output, CniJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("cniVersion", cniVersion);
        writer.WriteStartArray("supportedVersions");
        foreach (var version in CniVersions.Supported)
        {
            writer.WriteStringValue(version);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <inheritdoc cref="WriteVersion(IBufferWriter{byte}, string)"/>
    public static Task WriteVersionAsync(Stream output, string cniVersion, CancellationToken cancellationToken = default) =>
        WriteToStreamAsync(output, buffer => WriteVersion(buffer, cniVersion), cancellationToken);

    /// <summary>
    /// Writes the error object <c>{"cniVersion":…,"code":…,"msg":…,"details":…}</c>; <c>details</c> is left out when
    /// null or empty.
    /// </summary>
    public static void WriteError(IBufferWriter<byte> output, CniError error, string cniVersion)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(cniVersion);
        using var writer = new Utf8JsonWriter(output, CniJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("cniVersion", cniVersion);
        writer.WriteNumber("code", error.Code);
        writer.WriteString("msg", error.Message);
        if (!string.IsNullOrEmpty(error.Details))
        {
            writer.WriteString("details", error.Details);
        }

        writer.WriteEndObject();
    }

    /// <inheritdoc cref="WriteError(IBufferWriter{byte}, CniError, string)"/>
    public static Task WriteErrorAsync(Stream output, CniError error, string cniVersion, CancellationToken cancellationToken = default) =>
        WriteToStreamAsync(output, buffer => WriteError(buffer, error, cniVersion), cancellationToken);

    internal static void WriteGateway(Utf8JsonWriter writer, CniIpConfig ip)
    {
        if (ip.Gateway is not null)
        {
            writer.WriteString("gateway", ip.Gateway.ToString());
        }
    }

    /// <summary>Writes a route; <paramref name="full"/> false keeps only <c>dst</c> and <c>gw</c>, as 0.1/0.2 do.</summary>
    internal static void WriteRoute(Utf8JsonWriter writer, CniRoute route, bool full)
    {
        writer.WriteStartObject();
        writer.WriteString("dst", route.Dst);
        if (route.Gw is not null)
        {
            writer.WriteString("gw", route.Gw);
        }

        if (full)
        {
            WriteOptional(writer, "mtu", route.Mtu);
            WriteOptional(writer, "advmss", route.Advmss);
            WriteOptional(writer, "priority", route.Priority);
            WriteOptional(writer, "table", route.Table);
            WriteOptional(writer, "scope", route.Scope);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"dns":{…}</c> with only the non-empty members, so an empty one is <c>{}</c>.</summary>
    internal static void WriteDns(Utf8JsonWriter writer, CniDns dns)
    {
        writer.WriteStartObject("dns");
        WriteList(writer, "nameservers", dns.Nameservers);
        if (!string.IsNullOrEmpty(dns.Domain))
        {
            writer.WriteString("domain", dns.Domain);
        }

        WriteList(writer, "search", dns.Search);
        WriteList(writer, "options", dns.Options);
        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static async Task WriteToStreamAsync(Stream output, Action<IBufferWriter<byte>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}
