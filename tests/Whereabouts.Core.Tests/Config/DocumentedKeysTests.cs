using System.Globalization;
using Whereabouts.Core.Config;
using Whereabouts.Core.Tests.Support;

namespace Whereabouts.Core.Tests.Config;

/// <summary>
/// The configuration reference: every key the README documents (upstream §2.2 plus <c>data_dir</c> and the
/// <c>file</c> datastore), each proven to be accepted and to land where the README says, inline and in the flat file.
/// </summary>
public sealed class DocumentedKeysTests
{
    private const string Range = "\"range\": \"10.0.0.0/24\"";
    private const string Routes = """
        "routes": [{ "dst": "0.0.0.0/0", "gw": "10.0.0.1", "mtu": 1400, "advmss": 1360, "priority": 5, "table": 100, "scope": 0 }]
        """;

    /// <summary>Key; ipam fragment; what the reader makes of it; whether the flat file may set it too.</summary>
    private static readonly (string Key, string Fragment, string Expected, bool InFlatFile)[] Table =
    [
        ("type", Range, "whereabouts", false),
        ("range", Range, "10.0.0.0/24", true),
        ("range_start", Range + ", \"range_start\": \"10.0.0.10\"", "10.0.0.10", true),
        ("range_end", Range + ", \"range_end\": \"10.0.0.20\"", "10.0.0.20", true),
        ("exclude", Range + ", \"exclude\": [\"10.0.0.0/28\", \"10.0.0.99\"]", "10.0.0.0/28,10.0.0.99/32", true),
        ("ipRanges", "\"ipRanges\": [{ \"range\": \"10.0.0.0/24\" }, { \"range\": \"fd00::/64\" }]", "10.0.0.0/24,fd00::/64", true),
        ("ipRanges[].range_start", "\"ipRanges\": [{ \"range\": \"10.0.0.0/24\", \"range_start\": \"10.0.0.10\" }]", "10.0.0.10", true),
        ("ipRanges[].range_end", "\"ipRanges\": [{ \"range\": \"10.0.0.0/24\", \"range_end\": \"10.0.0.20\" }]", "10.0.0.20", true),
        ("ipRanges[].exclude", "\"ipRanges\": [{ \"range\": \"10.0.0.0/24\", \"exclude\": [\"10.0.0.0/28\"] }]", "10.0.0.0/28", true),
        ("gateway", Range + ", \"gateway\": \"10.0.0.1\"", "10.0.0.1", true),
        ("routes", Range + ", " + Routes, "0.0.0.0/0 10.0.0.1 1400 1360 5 100 0", true),
        ("dns", Range + ", \"dns\": { \"nameservers\": [\"8.8.8.8\"], \"domain\": \"example.com\", \"search\": [\"svc.example.com\"], \"options\": [\"ndots:2\"] }", "8.8.8.8 example.com svc.example.com ndots:2", true),
        ("addresses", Range + ", \"addresses\": [{ \"address\": \"10.10.0.1/24\", \"gateway\": \"10.10.0.254\" }]", "10.10.0.1/24 10.10.0.254", true),
        ("network_name", Range + ", \"network_name\": \"storage\"", "storage", true),
        ("enable_overlapping_ranges", Range + ", \"enable_overlapping_ranges\": false", "False", false),
        ("node_slice_size", Range + ", \"node_slice_size\": \"/26\"", "26", true),
        ("sleep_for_race", Range + ", \"sleep_for_race\": 3", "3", true),
        ("leader_lease_duration", Range + ", \"leader_lease_duration\": 1500", "Debug", true),
        ("leader_renew_deadline", Range + ", \"leader_renew_deadline\": 1000", "Debug", true),
        ("leader_retry_period", Range + ", \"leader_retry_period\": 500", "Debug", true),
        ("log_file", Range + ", \"log_file\": \"/var/log/whereabouts.log\"", "/var/log/whereabouts.log", true),
        ("log_level", Range + ", \"log_level\": \"verbose\"", "Verbose", true),
        ("reconciler_cron_expression", Range + ", \"reconciler_cron_expression\": \"30 4 * * *\"", "30 4 * * *", true),
        ("kubernetes.kubeconfig", Range + ", \"kubernetes\": { \"kubeconfig\": \"/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig\" }", "/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig", true),
        ("kubernetes.k8s_api_root", Range + ", \"kubernetes\": { \"k8s_api_root\": \"https://10.96.0.1:443\" }", "https://10.96.0.1:443", true),
        ("configuration_path", Range + ", \"configuration_path\": \"/etc/cni/net.d/whereabouts.d\"", "/etc/cni/net.d/whereabouts.d", true),
        ("datastore", Range + ", \"datastore\": \"file\"", "File", true),
        ("data_dir", Range + ", \"data_dir\": \"/var/lib/wb\"", "/var/lib/wb", true),
        ("agent_socket", Range + ", \"agent_socket\": \"/run/whereabouts/agent.sock\"", "/run/whereabouts/agent.sock", true),
        ("etcd_host", Range + ", \"etcd_host\": \"https://etcd:2379\"", "Debug", true),
        ("etcd_username", Range + ", \"etcd_username\": \"root\"", "Debug", true),
        ("etcd_password", Range + ", \"etcd_password\": \"secret\"", "Debug", true),
        ("etcd_key_file", Range + ", \"etcd_key_file\": \"/k.pem\"", "Debug", true),
        ("etcd_cert_file", Range + ", \"etcd_cert_file\": \"/c.pem\"", "Debug", true),
        ("etcd_ca_cert_file", Range + ", \"etcd_ca_cert_file\": \"/ca.pem\"", "Debug", true),
    ];

    public static TheoryData<string, string, string> InlineKeys => Rows(all: true);

    public static TheoryData<string, string, string> FlatFileKeys => Rows(all: false);

    [Theory]
    [MemberData(nameof(InlineKeys))]
    public void Read_DocumentedKeyInline_AcceptedAndApplied(string key, string fragment, string expected)
    {
        var result = Configs.ReadIpam(fragment);

        AssertAccepted(result, key, expected);
    }

    /// <summary>Everything but <c>type</c> and <c>enable_overlapping_ranges</c>, which are read inline only.</summary>
    [Theory]
    [MemberData(nameof(FlatFileKeys))]
    public void Read_DocumentedKeyInFlatFile_AcceptedAndApplied(string key, string fragment, string expected)
    {
        var path = IpamConfigReader.DefaultFlatFilePaths[0];
        var files = new FakeFlatFiles().With(path, "{" + fragment + "}");

        var result = Configs.Read(
            """{"cniVersion":"0.3.1","name":"mynet","type":"ipvlan","ipam":{"type":"whereabouts"}}""",
            Configs.RangesOnly with { FlatFiles = files.Lookup });

        AssertAccepted(result, key, expected);
        Assert.Equal(path, result.Config!.FlatFilePath);
    }

    /// <summary>The README's configuration table and this table list the same keys: neither may drift from the other.</summary>
    [Fact]
    public void ReadmeConfigurationReference_ListsExactlyTheTestedKeys()
    {
        var readme = File.ReadAllLines(Path.Combine(RepoRoot(), "README.md"));
        var header = Array.FindIndex(readme, l => l.StartsWith("| Key | Type | Default |", StringComparison.Ordinal));
        Assert.True(header >= 0, "README.md has no configuration reference table");
        var documented = readme.Skip(header + 2)
            .TakeWhile(static l => l.StartsWith('|'))
            .SelectMany(static l => System.Text.RegularExpressions.Regex.Matches(l.Split('|')[1], "`([^`]+)`").Select(static m => m.Groups[1].Value))
            .ToHashSet();
        var tested = Table.Select(static r => r.Key).Where(static k => !k.StartsWith("ipRanges[]", StringComparison.Ordinal)).ToHashSet();

        Assert.Equal(tested.Order(), documented.Order());
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Whereabouts.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static TheoryData<string, string, string> Rows(bool all)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in Table.Where(r => all || r.InFlatFile))
        {
            data.Add(row.Key, row.Fragment, row.Expected);
        }

        return data;
    }

    private static void AssertAccepted(IpamConfigReadResult result, string key, string expected)
    {
        Assert.True(result.Config is not null, result.ErrorSummary);
        Assert.DoesNotContain(result.Issues, i => i.Message.StartsWith("unknown key", StringComparison.Ordinal));
        Assert.Equal(expected, Observe(result, key));
    }

    private static string? Observe(IpamConfigReadResult result, string key)
    {
        var c = result.Config!;
        return key switch
        {
            "type" => result.NotWhereabouts ? null : IpamConfigReader.PluginType,
            "range" => c.Ranges[0].Subnet.ToString(),
            "range_start" or "ipRanges[].range_start" => c.Ranges[0].RangeStart?.ToString(),
            "range_end" or "ipRanges[].range_end" => c.Ranges[0].RangeEnd?.ToString(),
            "exclude" or "ipRanges[].exclude" => string.Join(",", c.Ranges[0].Excludes),
            "ipRanges" => string.Join(",", c.Ranges.Select(r => r.Subnet)),
            "gateway" => c.Gateway?.ToString(),
            "routes" => string.Join(" ", c.Routes.Select(r => $"{r.Destination} {r.Gateway} {r.Mtu} {r.Advmss} {r.Priority} {r.Table} {r.Scope}")),
            "dns" => $"{string.Join(",", c.Dns.Nameservers)} {c.Dns.Domain} {string.Join(",", c.Dns.Search)} {string.Join(",", c.Dns.Options)}",
            "addresses" => string.Join(" ", c.Addresses.Select(a => $"{a.Address.Address}/{a.Address.PrefixLength} {a.Gateway}")),
            "network_name" => c.PoolNetworkName,
            "enable_overlapping_ranges" => c.EnableOverlappingRanges.ToString(),
            "node_slice_size" => c.NodeSlicePrefix?.ToString(CultureInfo.InvariantCulture),
            "sleep_for_race" => c.SleepForRaceSeconds.ToString(CultureInfo.InvariantCulture),
            "log_file" => c.LogFile,
            "log_level" => c.LogLevel?.ToString(),
            "reconciler_cron_expression" => c.ReconcilerCronExpression,
            "kubernetes.kubeconfig" => c.Kubeconfig,
            "kubernetes.k8s_api_root" => c.KubernetesApiRoot,
            "configuration_path" => c.ConfigurationPath,
            "datastore" => c.Datastore.ToString(),
            "data_dir" => c.DataDir,
            "agent_socket" => c.AgentSocket,

            // Legacy keys change nothing; they are acknowledged with a debug note naming them.
            _ => result.Issues.Single(i => i.Key.EndsWith(key, StringComparison.Ordinal)).Severity.ToString(),
        };
    }
}
