using System.Text.Json;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Config;

/// <summary>
/// Reads a CNI network configuration (a single plugin or a conflist) into a validated <see cref="IpamConfig"/>:
/// the inline <c>ipam</c> section merged with the optional flat file, inline values winning. Every problem is
/// collected and names its key; settings upstream silently ignores are accepted and reported as warnings.
/// </summary>
public static class IpamConfigReader
{
    public const string PluginType = "whereabouts";

    public const string FlatFileName = "whereabouts.conf";

    /// <summary>Where upstream looks for the flat file, in order (after <c>configuration_path</c>).</summary>
    public static IReadOnlyList<string> DefaultFlatFilePaths { get; } =
    [
        "/etc/kubernetes/cni/net.d/whereabouts.d/whereabouts.conf",
        "/etc/cni/net.d/whereabouts.d/whereabouts.conf",
        "/host/etc/cni/net.d/whereabouts.d/whereabouts.conf",
    ];

    public static IpamConfigReadResult Read(ReadOnlyMemory<byte> networkConfig, IpamConfigReadOptions? options = null)
    {
        options ??= new IpamConfigReadOptions();
        var issues = new ConfigIssues { ForRelease = options.ForRelease };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(networkConfig);
        }
        catch (JsonException ex)
        {
            issues.Error("config", $"invalid JSON: {ex.Message}");
            return new IpamConfigReadResult(null, issues.Items);
        }

        using (document)
        {
            return Read(document.RootElement, options, issues);
        }
    }

    private static IpamConfigReadResult Read(JsonElement root, IpamConfigReadOptions options, ConfigIssues issues)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            issues.Error("config", "the network configuration must be a JSON object");
            return new IpamConfigReadResult(null, issues.Items);
        }

        var networkName = TopLevelString(root, "name", issues) ?? string.Empty;
        var cniVersion = TopLevelString(root, "cniVersion", issues);
        var plugin = SelectPlugin(root);
        if (plugin is not { } net)
        {
            issues.Error("plugins", "no plugin in the list uses the whereabouts IPAM");
            return new IpamConfigReadResult(null, issues.Items) { NotWhereabouts = true };
        }

        if (!JsonFields.TryGet(net, "ipam", out var ipam) || ipam.ValueKind == JsonValueKind.Null)
        {
            issues.Error("ipam", "IPAM config missing 'ipam' key");
            return new IpamConfigReadResult(null, issues.Items) { NotWhereabouts = true };
        }

        if (!JsonFields.IsObject(ipam, "ipam", issues))
        {
            return new IpamConfigReadResult(null, issues.Items);
        }

        var inline = IpamSettingsParser.Parse(ipam, string.Empty, issues);
        if (inline.Type != PluginType)
        {
            issues.Error("type", $"only interested in networks whose IPAM type is '{PluginType}'. This one was: {inline.Type}");
            return new IpamConfigReadResult(null, issues.Items) { NotWhereabouts = true };
        }

        var (flat, flatPath, searched) = LoadFlatFile(inline.ConfigurationPath, options, issues);
        var config = Build(inline, flat, flatPath, searched, networkName, string.IsNullOrEmpty(cniVersion) ? "0.1.0" : cniVersion, options, issues);
        return new IpamConfigReadResult(issues.HasErrors ? null : config, issues.Items);
    }

    /// <summary>A single plugin configuration, or the first plugin of a conflist whose IPAM type is whereabouts.</summary>
    private static JsonElement? SelectPlugin(JsonElement root)
    {
        var isList = JsonFields.TryGet(root, "plugins", out var plugins) && plugins.ValueKind == JsonValueKind.Array
            && !(JsonFields.TryGet(root, "type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString()!.Length > 0);
        if (!isList)
        {
            return root;
        }

        foreach (var plugin in plugins.EnumerateArray())
        {
            if (plugin.ValueKind == JsonValueKind.Object && JsonFields.TryGet(plugin, "ipam", out var ipam)
                && ipam.ValueKind == JsonValueKind.Object && JsonFields.TryGet(ipam, "type", out var ipamType)
                && ipamType.ValueKind == JsonValueKind.String && ipamType.GetString() == PluginType)
            {
                return plugin;
            }
        }

        return null;
    }

    private static string? TopLevelString(JsonElement root, string name, ConfigIssues issues) =>
        JsonFields.TryGet(root, name, out var value) ? JsonFields.String(value, name, issues) : null;

    private static (IpamSettings? Settings, string? Path, IReadOnlyList<string> Searched) LoadFlatFile(
        string? configurationPath, IpamConfigReadOptions options, ConfigIssues issues)
    {
        if (options.FlatFiles is not { } lookup)
        {
            return (null, null, []);
        }

        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(configurationPath))
        {
            // Upstream reads configuration_path as the file itself; install-cni writes the directory, so both work.
            candidates.Add(configurationPath);
            candidates.Add(System.IO.Path.Combine(configurationPath, FlatFileName));
        }

        candidates.AddRange(DefaultFlatFilePaths);
        candidates.AddRange(options.ExtraFlatFilePaths);

        foreach (var path in candidates)
        {
            var found = lookup(path);
            switch (found.Status)
            {
                case FlatFileStatus.NotFound:
                    continue;
                case FlatFileStatus.Failed:
                    issues.Error(path, $"cannot read the flat configuration file: {found.Error}");
                    return (null, path, candidates);
            }

            try
            {
                using var document = JsonDocument.Parse(found.Content);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    issues.Error(path, "the flat configuration file must hold a JSON object");
                    return (null, path, candidates);
                }

                return (IpamSettingsParser.Parse(document.RootElement, path + ":", issues), path, candidates);
            }
            catch (JsonException ex)
            {
                issues.Error(path, $"the flat configuration file is not valid JSON: {ex.Message}");
                return (null, path, candidates);
            }
        }

        return (null, null, candidates);
    }

    private static IpamConfig Build(
        IpamSettings inline,
        IpamSettings? flat,
        string? flatPath,
        IReadOnlyList<string> searched,
        string networkName,
        string cniVersion,
        IpamConfigReadOptions options,
        ConfigIssues issues)
    {
        var s = SettingsMerger.Merge(inline, flat);
        if (flat?.EnableOverlappingRanges is { } flatOverlap && flatOverlap != (inline.EnableOverlappingRanges ?? true))
        {
            issues.Debug(flatPath!, "enable_overlapping_ranges in the flat file is ignored; only the inline value counts");
        }

        var ranges = ReadRanges(s, issues);
        var addresses = ReadAddresses(s, issues);
        if (ranges.Count == 0 && addresses.Count == 0 && !issues.HasErrors)
        {
            issues.Error("range", "no IP ranges configured: set 'range' or 'ipRanges'");
        }

        var datastore = ReadDatastore(s.Datastore, issues);
        // With an agent the kubeconfig is only needed to fall back, so a missing one is not an error.
        if (options.RequireDatastore && datastore == DatastoreKind.Kubernetes && string.IsNullOrEmpty(s.Kubeconfig)
            && string.IsNullOrEmpty(s.AgentSocket))
        {
            var where = searched.Count == 0 ? "no flat file was searched" : $"searched for a flat file at {string.Join(", ", searched)}";
            issues.Error("kubernetes.kubeconfig", $"not set: the Kubernetes datastore needs the path of a kubeconfig (install-cni writes it into the flat file); {where}");
        }

        return new IpamConfig
        {
            NetworkName = networkName,
            CniVersion = cniVersion,
            Ranges = ranges,
            Gateway = ReadGateway(s.Gateway, issues),
            Routes = ReadRoutes(s, issues),
            Dns = ReadDns(s.Dns),
            Addresses = addresses,
            PoolNetworkName = string.IsNullOrEmpty(s.NetworkName) ? null : s.NetworkName,
            EnableOverlappingRanges = inline.EnableOverlappingRanges ?? true,
            NodeSlicePrefix = ReadNodeSlice(s.NodeSliceSize, ranges, issues),
            SleepForRaceSeconds = ReadSleep(s.SleepForRace, issues),
            LogFile = string.IsNullOrEmpty(s.LogFile) ? null : s.LogFile,
            LogLevel = ReadLogLevel(s.LogLevel, issues),
            ReconcilerCronExpression = string.IsNullOrEmpty(s.ReconcilerCronExpression) ? null : s.ReconcilerCronExpression,
            Datastore = datastore,
            Kubeconfig = string.IsNullOrEmpty(s.Kubeconfig) ? null : s.Kubeconfig,
            KubernetesApiRoot = string.IsNullOrEmpty(s.K8sApiRoot) ? null : s.K8sApiRoot,
            ConfigurationPath = string.IsNullOrEmpty(s.ConfigurationPath) ? null : s.ConfigurationPath,
            DataDir = string.IsNullOrEmpty(s.DataDir) ? IpamConfig.DefaultDataDir : s.DataDir,
            AgentSocket = string.IsNullOrEmpty(s.AgentSocket) ? null : s.AgentSocket,
            FlatFilePath = flat is null ? null : flatPath,
        };
    }

    private static List<RangeConfig> ReadRanges(IpamSettings s, ConfigIssues issues)
    {
        var ranges = new List<RangeConfig>();
        if (!string.IsNullOrEmpty(s.Range))
        {
            var legacy = RangeReader.Read(
                "range", "range", s.Range, ("range_start", s.RangeStart), ("range_end", s.RangeEnd), ("exclude", s.Exclude),
                lenientBounds: true, issues);
            if (legacy is not null)
            {
                ranges.Add(legacy);
            }
        }
        else if (!string.IsNullOrEmpty(s.RangeStart) || !string.IsNullOrEmpty(s.RangeEnd) || s.Exclude is { Count: > 0 })
        {
            issues.Warning("range_start", "range_start, range_end and exclude apply to the top-level 'range', which is not set; ignored");
        }

        foreach (var entry in s.IpRanges ?? [])
        {
            if (string.IsNullOrEmpty(entry.Range))
            {
                if (!issues.HasErrorAt(entry.Key + ".range"))
                {
                    issues.Error(entry.Key + ".range", "is required");
                }

                continue;
            }

            var range = RangeReader.Read(
                entry.Key, entry.Key + ".range", entry.Range, (entry.Key + ".range_start", entry.RangeStart),
                (entry.Key + ".range_end", entry.RangeEnd), (entry.Key + ".exclude", entry.Exclude), lenientBounds: false, issues);
            if (range is not null)
            {
                ranges.Add(range);
            }
        }

        return ranges;
    }

    private static Ip? ReadGateway(string? text, ConfigIssues issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (Ip.TryParse(text, out var gateway))
        {
            return gateway;
        }

        issues.AllocationError("gateway", $"couldn't parse gateway IP: {text}");
        return null;
    }

    private static List<RouteConfig> ReadRoutes(IpamSettings s, ConfigIssues issues)
    {
        var routes = new List<RouteConfig>();
        foreach (var r in s.Routes ?? [])
        {
            if (!Cidr.TryParse(r.Dst, out var dst))
            {
                if (!issues.HasErrorAt(r.Key + ".dst"))
                {
                    issues.AllocationError(r.Key + ".dst", r.Dst is null ? "is required" : $"'{r.Dst}' is not a CIDR");
                }

                continue;
            }

            Ip? gw = null;
            if (!string.IsNullOrEmpty(r.Gw))
            {
                if (!Ip.TryParse(r.Gw, out var parsed))
                {
                    issues.AllocationError(r.Key + ".gw", $"'{r.Gw}' is not an IP address");
                    continue;
                }

                gw = parsed;
            }

            routes.Add(new RouteConfig(dst.Masked, gw, r.Mtu, r.Advmss, r.Priority, r.Table, r.Scope));
        }

        return routes;
    }

    private static DnsConfig ReadDns(IpamSettings.RawDns? dns) =>
        dns is null
            ? DnsConfig.Empty
            : new DnsConfig(dns.Nameservers ?? [], string.IsNullOrEmpty(dns.Domain) ? null : dns.Domain, dns.Search ?? [], dns.Options ?? []);

    private static List<StaticAddress> ReadAddresses(IpamSettings s, ConfigIssues issues)
    {
        var addresses = new List<StaticAddress>();
        foreach (var a in s.Addresses ?? [])
        {
            if (!Cidr.TryParse(a.Address, out var address))
            {
                if (!issues.HasErrorAt(a.Key + ".address"))
                {
                    issues.AllocationError(a.Key + ".address", a.Address is null ? "is required" : $"invalid CIDR in addresses '{a.Address}'");
                }

                continue;
            }

            Ip? gateway = null;
            if (!string.IsNullOrEmpty(a.Gateway))
            {
                if (!Ip.TryParse(a.Gateway, out var gw))
                {
                    issues.AllocationError(a.Key + ".gateway", $"'{a.Gateway}' is not an IP address");
                    continue;
                }

                gateway = gw;
            }

            addresses.Add(new StaticAddress(address, gateway));
        }

        return addresses;
    }

    private static DatastoreKind ReadDatastore(string? text, ConfigIssues issues)
    {
        switch (text?.ToLowerInvariant())
        {
            case null or "" or "kubernetes":
                return DatastoreKind.Kubernetes;
            case "file":
                return DatastoreKind.File;
            case "etcd":
                issues.Debug("datastore", "etcd was removed upstream in v0.6; the Kubernetes datastore is used");
                return DatastoreKind.Kubernetes;
            default:
                issues.Error("datastore", $"'{text}' is not a datastore: use 'kubernetes' or 'file'");
                return DatastoreKind.Kubernetes;
        }
    }

    /// <summary>
    /// <c>node_slice_size</c>: the first range is cut into slices of this size, one per node (the NodeSlicePool holds
    /// only the first range, as upstream's); other ranges are allocated from whole.
    /// </summary>
    private static int? ReadNodeSlice(string? text, List<RangeConfig> ranges, ConfigIssues issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!SliceLayout.TryParseSize(text, out var prefix))
        {
            issues.Error("node_slice_size", $"'{text}' is not a prefix length such as /22");
            return null;
        }

        if (ranges.Count == 0)
        {
            issues.AllocationError("node_slice_size", "node slices need a range to cut: set 'range' or 'ipRanges'");
            return null;
        }

        if (SliceLayout.Problem(ranges[0].Subnet, prefix) is { } problem)
        {
            issues.AllocationError("node_slice_size", $"cannot cut {ranges[0].Key} into node slices: {problem}");
            return null;
        }

        return prefix;
    }

    private static int ReadSleep(int? seconds, ConfigIssues issues)
    {
        if (seconds is null or 0)
        {
            return 0;
        }

        if (seconds < 0)
        {
            issues.Warning("sleep_for_race", "negative; ignored");
            return 0;
        }

        return seconds.Value;
    }

    private static LogLevelSetting? ReadLogLevel(string? text, ConfigIssues issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        switch (text.ToLowerInvariant())
        {
            case "debug": return LogLevelSetting.Debug;
            case "verbose": return LogLevelSetting.Verbose;
            case "error": return LogLevelSetting.Error;
            case "panic": return LogLevelSetting.Panic;
            default:
                issues.Warning("log_level", $"cannot set logging level to {text}: use debug, verbose, error or panic; ignored");
                return null;
        }
    }
}
