using System.Text.Json;

namespace Whereabouts.Core.Config;

/// <summary>Reads one settings object (inline <c>ipam</c> or a flat file), type-checking every known key.</summary>
internal static class IpamSettingsParser
{
    private static readonly HashSet<string> IgnoredLegacyKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "etcd_host", "etcd_username", "etcd_password", "etcd_key_file", "etcd_cert_file", "etcd_ca_cert_file",
        "leader_lease_duration", "leader_renew_deadline", "leader_retry_period",
    };

    /// <summary>Keys that exist on upstream's struct but are always overwritten, so a value here never matters.</summary>
    private static readonly HashSet<string> OverwrittenKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "podname", "podnamespace",
    };

    public static IpamSettings Parse(JsonElement obj, string origin, ConfigIssues issues)
    {
        var settings = new IpamSettings { Origin = origin };
        foreach (var property in obj.EnumerateObject())
        {
            var key = JsonFields.Child(origin, property.Name);
            var value = property.Value;
            switch (property.Name.ToLowerInvariant())
            {
                case "type": settings.Type = JsonFields.String(value, key, issues); break;
                case "range": settings.Range = JsonFields.String(value, key, issues); break;
                case "range_start": settings.RangeStart = JsonFields.String(value, key, issues); break;
                case "range_end": settings.RangeEnd = JsonFields.String(value, key, issues); break;
                case "exclude": settings.Exclude = JsonFields.Strings(value, key, issues); break;
                case "ipranges": settings.IpRanges = ParseRanges(value, key, issues); break;
                case "gateway": settings.Gateway = JsonFields.String(value, key, issues); break;
                case "routes": settings.Routes = ParseRoutes(value, key, issues); break;
                case "dns": settings.Dns = ParseDns(value, key, issues); break;
                case "addresses": settings.Addresses = ParseAddresses(value, key, issues); break;
                case "network_name": settings.NetworkName = JsonFields.String(value, key, issues); break;
                case "enable_overlapping_ranges": settings.EnableOverlappingRanges = JsonFields.Bool(value, key, issues); break;
                case "node_slice_size": settings.NodeSliceSize = JsonFields.String(value, key, issues); break;
                case "sleep_for_race": settings.SleepForRace = JsonFields.Int(value, key, issues); break;
                case "log_file": settings.LogFile = JsonFields.String(value, key, issues); break;
                case "log_level": settings.LogLevel = JsonFields.String(value, key, issues); break;
                case "reconciler_cron_expression": settings.ReconcilerCronExpression = JsonFields.String(value, key, issues); break;
                case "configuration_path": settings.ConfigurationPath = JsonFields.String(value, key, issues); break;
                case "datastore": settings.Datastore = JsonFields.String(value, key, issues); break;
                case "data_dir": settings.DataDir = JsonFields.String(value, key, issues); break;
                case "agent_socket": settings.AgentSocket = JsonFields.String(value, key, issues); break;
                case "kubernetes": ParseKubernetes(value, key, settings, issues); break;
                default:
                    if (IgnoredLegacyKeys.Contains(property.Name))
                    {
                        CheckLegacyType(property, key, issues);
                        issues.Debug(key, property.Name.StartsWith("leader_", StringComparison.OrdinalIgnoreCase)
                            ? "ignored: there is no cluster-wide lock to tune"
                            : "ignored: the etcd datastore was removed upstream in v0.6");
                    }
                    else if (!OverwrittenKeys.Contains(property.Name))
                    {
                        issues.Debug(key, "unknown key, ignored");
                    }

                    break;
            }
        }

        return settings;
    }

    private static void CheckLegacyType(JsonProperty property, string key, ConfigIssues issues)
    {
        if (property.Name.StartsWith("leader_", StringComparison.OrdinalIgnoreCase))
        {
            JsonFields.Int(property.Value, key, issues);
        }
        else
        {
            JsonFields.String(property.Value, key, issues);
        }
    }

    private static void ParseKubernetes(JsonElement value, string key, IpamSettings settings, ConfigIssues issues)
    {
        if (!JsonFields.IsObject(value, key, issues))
        {
            return;
        }

        if (JsonFields.TryGet(value, "kubeconfig", out var kubeconfig))
        {
            settings.Kubeconfig = JsonFields.String(kubeconfig, key + ".kubeconfig", issues);
        }

        if (JsonFields.TryGet(value, "k8s_api_root", out var apiRoot))
        {
            settings.K8sApiRoot = JsonFields.String(apiRoot, key + ".k8s_api_root", issues);
        }
    }

    private static List<IpamSettings.RawRange>? ParseRanges(JsonElement value, string key, ConfigIssues issues)
    {
        if (!JsonFields.IsArray(value, key, issues))
        {
            return null;
        }

        var list = new List<IpamSettings.RawRange>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemKey = JsonFields.Index(key, i++);
            if (!JsonFields.IsObject(item, itemKey, issues))
            {
                continue;
            }

            list.Add(new IpamSettings.RawRange(
                itemKey,
                Field(item, "range", itemKey, issues),
                Field(item, "range_start", itemKey, issues),
                Field(item, "range_end", itemKey, issues),
                JsonFields.TryGet(item, "exclude", out var exclude) ? JsonFields.Strings(exclude, itemKey + ".exclude", issues) : null));
        }

        return list;
    }

    private static List<IpamSettings.RawRoute>? ParseRoutes(JsonElement value, string key, ConfigIssues issues)
    {
        if (!JsonFields.IsArray(value, key, issues))
        {
            return null;
        }

        var list = new List<IpamSettings.RawRoute>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemKey = JsonFields.Index(key, i++);
            if (!JsonFields.IsObject(item, itemKey, issues))
            {
                continue;
            }

            list.Add(new IpamSettings.RawRoute(
                itemKey,
                Field(item, "dst", itemKey, issues),
                Field(item, "gw", itemKey, issues),
                IntField(item, "mtu", itemKey, issues),
                IntField(item, "advmss", itemKey, issues),
                IntField(item, "priority", itemKey, issues),
                IntField(item, "table", itemKey, issues),
                IntField(item, "scope", itemKey, issues)));
        }

        return list;
    }

    private static IpamSettings.RawDns? ParseDns(JsonElement value, string key, ConfigIssues issues)
    {
        if (!JsonFields.IsObject(value, key, issues))
        {
            return null;
        }

        return new IpamSettings.RawDns(
            JsonFields.TryGet(value, "nameservers", out var ns) ? JsonFields.Strings(ns, key + ".nameservers", issues) : null,
            Field(value, "domain", key, issues),
            JsonFields.TryGet(value, "search", out var search) ? JsonFields.Strings(search, key + ".search", issues) : null,
            JsonFields.TryGet(value, "options", out var options) ? JsonFields.Strings(options, key + ".options", issues) : null);
    }

    private static List<IpamSettings.RawAddress>? ParseAddresses(JsonElement value, string key, ConfigIssues issues)
    {
        if (!JsonFields.IsArray(value, key, issues))
        {
            return null;
        }

        var list = new List<IpamSettings.RawAddress>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemKey = JsonFields.Index(key, i++);
            if (JsonFields.IsObject(item, itemKey, issues))
            {
                list.Add(new IpamSettings.RawAddress(itemKey, Field(item, "address", itemKey, issues), Field(item, "gateway", itemKey, issues)));
            }
        }

        return list;
    }

    private static string? Field(JsonElement obj, string name, string parentKey, ConfigIssues issues) =>
        JsonFields.TryGet(obj, name, out var value) ? JsonFields.String(value, parentKey + "." + name, issues) : null;

    private static int? IntField(JsonElement obj, string name, string parentKey, ConfigIssues issues) =>
        JsonFields.TryGet(obj, name, out var value) ? JsonFields.Int(value, parentKey + "." + name, issues) : null;
}
