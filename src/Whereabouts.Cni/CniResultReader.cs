using System.Text.Json;

namespace Whereabouts.Cni;

/// <summary>
/// Reads a result of any spec version into <see cref="CniResult"/>: the 0.1/0.2 <c>ip4</c>/<c>ip6</c> shape and the
/// 0.3+ <c>ips</c> shape, with or without <c>interfaces</c>, <c>interface</c> and <c>version</c> (all ignored).
/// </summary>
/// <remarks>
/// The shape is chosen from the keys, not from <c>cniVersion</c>, because a <c>prevResult</c> is converted by the runtime
/// and a hand-written one may carry any version string.
/// </remarks>
public static class CniResultReader
{
    /// <summary>Parses UTF-8 JSON; throws a code-6 <see cref="CniException"/> when it is not a valid result.</summary>
    public static CniResult Read(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new CniException(new CniError(CniErrorCodes.DecodingFailure, $"invalid CNI result: {ex.Message}"), ex);
        }
    }

    /// <summary>Reads a parsed result; throws a code-6 <see cref="CniException"/> when it is not a valid result.</summary>
    public static CniResult Read(JsonElement result)
    {
        try
        {
            return ReadCore(result, "result");
        }
        catch (FormatException ex)
        {
            throw new CniException(new CniError(CniErrorCodes.DecodingFailure, $"invalid CNI result: {ex.Message}"), ex);
        }
    }

    /// <summary>Throws <see cref="FormatException"/> naming the offending JSON path.</summary>
    internal static CniResult ReadCore(JsonElement result, string path)
    {
        CniJson.RequireObject(result, path);
        var isLegacy = !CniJson.TryGet(result, "ips", out _)
            && (CniJson.TryGet(result, "ip4", out _) || CniJson.TryGet(result, "ip6", out _));
        var ips = new List<CniIpConfig>();
        var routes = new List<CniRoute>();
        if (isLegacy)
        {
            // 0.1/0.2 → 0.3 conversion order: ip4 first, its routes before ip6's.
            foreach (var family in (string[])["ip4", "ip6"])
            {
                if (CniJson.GetObject(result, family, $"{path}.{family}") is { } config)
                {
                    ips.Add(ReadIp(config, "ip", $"{path}.{family}"));
                    routes.AddRange(ReadRoutes(config, $"{path}.{family}.routes"));
                }
            }
        }
        else
        {
            ips.AddRange(CniJson.GetArray(result, "ips", $"{path}.ips").Select(e => ReadIp(e.Item, "address", e.Path)));
            routes.AddRange(ReadRoutes(result, $"{path}.routes"));
        }

        var dns = CniJson.GetObject(result, "dns", $"{path}.dns") is { } d ? ReadDns(d, $"{path}.dns") : CniDns.Empty;
        return new CniResult(ips, routes, dns);
    }

    private static CniIpConfig ReadIp(JsonElement config, string addressKey, string path)
    {
        CniJson.RequireObject(config, path);
        var cidr = CniJson.GetRequiredString(config, addressKey, $"{path}.{addressKey}");
        if (!CniAddressParser.TryParseCidr(cidr, out var address, out var prefixLength))
        {
            throw new FormatException($"{path}.{addressKey} is not an address in CIDR form: \"{cidr}\"");
        }

        var gateway = CniJson.GetString(config, "gateway", $"{path}.gateway");
        if (gateway is null)
        {
            return new CniIpConfig(address, prefixLength, null);
        }

        return CniAddressParser.TryParseIp(gateway, out var gw)
            ? new CniIpConfig(address, prefixLength, gw)
            : throw new FormatException($"{path}.gateway is not an IP address: \"{gateway}\"");
    }

    private static IEnumerable<CniRoute> ReadRoutes(JsonElement owner, string path) =>
        CniJson.GetArray(owner, "routes", path).Select(e => ReadRoute(e.Item, e.Path));

    private static CniRoute ReadRoute(JsonElement route, string path)
    {
        CniJson.RequireObject(route, path);
        var dst = CniJson.GetRequiredString(route, "dst", $"{path}.dst");
        if (CniAddressParser.FamilyOfCidr(dst) is null)
        {
            throw new FormatException($"{path}.dst is not a destination in CIDR form: \"{dst}\"");
        }

        var gw = CniJson.GetString(route, "gw", $"{path}.gw");
        if (gw is not null && !CniAddressParser.TryParseIp(gw, out _))
        {
            throw new FormatException($"{path}.gw is not an IP address: \"{gw}\"");
        }

        return new CniRoute(
            dst,
            gw,
            CniJson.GetInt32(route, "mtu", $"{path}.mtu"),
            CniJson.GetInt32(route, "advmss", $"{path}.advmss"),
            CniJson.GetInt32(route, "priority", $"{path}.priority"),
            CniJson.GetInt32(route, "table", $"{path}.table"),
            CniJson.GetInt32(route, "scope", $"{path}.scope"));
    }

    private static CniDns ReadDns(JsonElement dns, string path) => new(
        CniJson.GetStringList(dns, "nameservers", $"{path}.nameservers"),
        CniJson.GetString(dns, "domain", $"{path}.domain"),
        CniJson.GetStringList(dns, "search", $"{path}.search"),
        CniJson.GetStringList(dns, "options", $"{path}.options"));
}
