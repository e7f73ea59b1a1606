using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Config;

/// <summary>Key matching, type checking and error collection (upstream §2.2, Go's JSON decoding rules).</summary>
public sealed class ConfigKeysTests
{
    private const string Range = "\"range\": \"10.0.0.0/24\"";

    [Fact]
    public void Read_KeysInAnyCase_MatchLikeGo()
    {
        var config = Configs.Valid("""
            "RANGE": "10.0.0.0/24", "Range_Start": "10.0.0.5", "GateWay": "10.0.0.1", "IPRANGES": [{ "Range": "fd00::/64", "EXCLUDE": ["fd00::/120"] }],
            "Kubernetes": { "KubeConfig": "/k" }, "Log_Level": "ERROR", "Enable_Overlapping_Ranges": false
            """);

        Assert.Equal(Cidr("10.0.0.0/24"), config.Ranges[0].Subnet);
        Assert.Equal(Ip("10.0.0.5"), config.Ranges[0].RangeStart);
        Assert.Equal(Ip("10.0.0.1"), config.Gateway);
        Assert.Equal([Cidr("fd00::/120")], config.Ranges[1].Excludes);
        Assert.Equal("/k", config.Kubeconfig);
        Assert.Equal(LogLevelSetting.Error, config.LogLevel);
        Assert.False(config.EnableOverlappingRanges);
    }

    [Fact]
    public void Read_DuplicateKeys_LastOneWins()
    {
        var config = Configs.Valid("""
            "range": "10.0.0.0/24", "Range": "10.1.0.0/24", "gateway": "10.1.0.1", "gateway": "10.1.0.2",
            "kubernetes": { "kubeconfig": "/a", "KUBECONFIG": "/b" }
            """);

        Assert.Equal(Cidr("10.1.0.0/24"), Assert.Single(config.Ranges).Subnet);
        Assert.Equal(Ip("10.1.0.2"), config.Gateway);
        Assert.Equal("/b", config.Kubeconfig);
    }

    [Fact]
    public void Read_TypeIsCaseSensitive_LikeUpstream()
    {
        var result = Configs.Read("""{"name":"n","type":"ipvlan","ipam":{"type":"Whereabouts","range":"10.0.0.0/24"}}""");

        Assert.True(result.NotWhereabouts);
    }

    [Fact]
    public void Read_NullValues_LeaveSettingsUnset()
    {
        var result = Configs.ReadIpam(Range + """
            , "range_start": null, "gateway": null, "exclude": null, "routes": null, "dns": null, "kubernetes": null,
            "enable_overlapping_ranges": null, "sleep_for_race": null
            """);

        Assert.Empty(result.Issues);
        Assert.Null(result.Config!.Gateway);
        Assert.True(result.Config.EnableOverlappingRanges);
    }

    [Theory]
    [InlineData("\"range\": 5", "range", "must be a string, not the number 5")]
    [InlineData("\"gateway\": true", "gateway", "must be a string, not the boolean true")]
    [InlineData("\"exclude\": \"10.0.0.0/28\"", "exclude", "must be a list of strings, not the string \"10.0.0.0/28\"")]
    [InlineData("\"exclude\": [\"10.0.0.0/28\", 1]", "exclude[1]", "must be a string, not the number 1")]
    [InlineData("\"ipRanges\": {}", "ipRanges", "must be a list, not an object")]
    [InlineData("\"ipRanges\": [5]", "ipRanges[0]", "must be an object, not the number 5")]
    [InlineData("\"ipRanges\": [{\"range\": [\"10.1.0.0/24\"]}]", "ipRanges[0].range", "must be a string, not a list")]
    [InlineData("\"ipRanges\": [{\"range\": \"10.1.0.0/24\", \"exclude\": {}}]", "ipRanges[0].exclude", "must be a list of strings, not an object")]
    [InlineData("\"routes\": [{\"dst\": 1}]", "routes[0].dst", "must be a string")]
    [InlineData("\"routes\": [{\"dst\": \"0.0.0.0/0\", \"mtu\": \"1500\"}]", "routes[0].mtu", "must be a whole number, not the string \"1500\"")]
    [InlineData("\"routes\": [{\"dst\": \"0.0.0.0/0\", \"table\": 1.5}]", "routes[0].table", "must be a whole number, not the number 1.5")]
    [InlineData("\"dns\": []", "dns", "must be an object, not a list")]
    [InlineData("\"dns\": {\"nameservers\": \"8.8.8.8\"}", "dns.nameservers", "must be a list of strings")]
    [InlineData("\"dns\": {\"domain\": 1}", "dns.domain", "must be a string")]
    [InlineData("\"addresses\": [{\"address\": 10}]", "addresses[0].address", "must be a string")]
    [InlineData("\"addresses\": {}", "addresses", "must be a list")]
    [InlineData("\"network_name\": []", "network_name", "must be a string, not a list")]
    [InlineData("\"enable_overlapping_ranges\": \"true\"", "enable_overlapping_ranges", "must be true or false, not the string \"true\"")]
    [InlineData("\"sleep_for_race\": 1.5", "sleep_for_race", "must be a whole number, not the number 1.5")]
    [InlineData("\"sleep_for_race\": 99999999999", "sleep_for_race", "must be a whole number")]
    [InlineData("\"node_slice_size\": 22", "node_slice_size", "must be a string")]
    [InlineData("\"log_level\": 1", "log_level", "must be a string")]
    [InlineData("\"log_file\": {}", "log_file", "must be a string, not an object")]
    [InlineData("\"reconciler_cron_expression\": 5", "reconciler_cron_expression", "must be a string")]
    [InlineData("\"configuration_path\": false", "configuration_path", "must be a string")]
    [InlineData("\"datastore\": 1", "datastore", "must be a string")]
    [InlineData("\"data_dir\": 1", "data_dir", "must be a string")]
    [InlineData("\"kubernetes\": \"/k\"", "kubernetes", "must be an object, not the string \"/k\"")]
    [InlineData("\"kubernetes\": {\"kubeconfig\": 1}", "kubernetes.kubeconfig", "must be a string")]
    [InlineData("\"kubernetes\": {\"k8s_api_root\": 1}", "kubernetes.k8s_api_root", "must be a string")]
    [InlineData("\"leader_lease_duration\": \"1500\"", "leader_lease_duration", "must be a whole number")]
    [InlineData("\"etcd_host\": 2379", "etcd_host", "must be a string")]
    public void Read_WrongType_ErrorNamesTheKey(string fragment, string key, string message)
    {
        var result = Configs.ReadIpam(Range + ", " + fragment);

        var error = Configs.SingleError(result);
        Assert.Equal(key, error.Key);
        Assert.Equal(message, error.Message[..Math.Min(message.Length, error.Message.Length)]);
        Assert.Equal($"{key}: {error.Message}", result.ErrorSummary);
    }

    [Fact]
    public void Read_SeveralProblems_ReportsThemAll()
    {
        var result = Configs.ReadIpam("""
            "range": "10.0.0.0/24", "gateway": 6, "exclude": ["bad"], "routes": [{"dst": "nope"}],
            "addresses": [{"address": "10.1.0.1"}], "ipRanges": [{"range": "10.2.0.0/31"}], "log_level": "loud",
            "datastore": "consul"
            """);

        Assert.Null(result.Config);
        Assert.Equal(
            ["addresses[0].address", "datastore", "exclude[0]", "gateway", "ipRanges[0].range", "routes[0].dst"],
            result.Errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("log_level", Assert.Single(result.Warnings).Key);
        Assert.Equal(result.Errors.Count(), result.ErrorSummary.Split("; ").Length);
    }

    [Theory]
    [InlineData("\"gateway\": \"10.0.0.256\"", "gateway", "couldn't parse gateway IP: 10.0.0.256")]
    [InlineData("\"exclude\": [\"10.0.0.0/33\"]", "exclude[0]", "could not parse exclude range '10.0.0.0/33'")]
    [InlineData("\"routes\": [{\"dst\": \"10.0.0.1\"}]", "routes[0].dst", "'10.0.0.1' is not a CIDR")]
    [InlineData("\"routes\": [{\"gw\": \"10.0.0.1\"}]", "routes[0].dst", "is required")]
    [InlineData("\"routes\": [{\"dst\": \"0.0.0.0/0\", \"gw\": \"x\"}]", "routes[0].gw", "'x' is not an IP address")]
    [InlineData("\"addresses\": [{\"address\": \"10.1.0.1\"}]", "addresses[0].address", "invalid CIDR in addresses '10.1.0.1'")]
    [InlineData("\"addresses\": [{\"address\": \"10.1.0.1/24\", \"gateway\": \"g\"}]", "addresses[0].gateway", "'g' is not an IP address")]
    [InlineData("\"addresses\": [{\"gateway\": \"10.1.0.1\"}]", "addresses[0].address", "is required")]
    public void Read_AllocationOnlySettingBroken_FailsForAddButOnlyWarnsForRelease(string fragment, string key, string message)
    {
        var forAdd = Configs.ReadIpam(Range + ", " + fragment);
        var forRelease = Configs.ReadIpam(Range + ", " + fragment, Configs.RangesOnly with { ForRelease = true });

        var error = Configs.SingleError(forAdd);
        Assert.Equal(key, error.Key);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.NotNull(forRelease.Config);
        var warning = Assert.Single(forRelease.Warnings);
        Assert.Equal(key, warning.Key);
        Assert.EndsWith("(ignored while releasing)", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"range\": \"10.0.0.0/33\"")]
    [InlineData("\"range\": \"10.0.0.0/31\"")]
    [InlineData("\"range\": 5")]
    [InlineData("\"range\": \"10.0.0.0/24\", \"datastore\": \"consul\"")]
    public void Read_ForReleaseWithBrokenRange_StillFails(string body)
    {
        Assert.Null(Configs.ReadIpam(body, Configs.RangesOnly with { ForRelease = true }).Config);
    }

    [Fact]
    public void Read_NoRangeAtAll_Fails()
    {
        var error = Configs.SingleError(Configs.ReadIpam("\"gateway\": \"10.0.0.1\""));

        Assert.Equal("range", error.Key);
        Assert.StartsWith("no IP ranges configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OnlyStaticAddresses_IsValid()
    {
        var config = Configs.Valid("""
            "addresses": [{ "address": "10.10.0.1/24", "gateway": "10.10.0.254" }, { "address": "3ffe:ffff:0:01ff::1/64" }]
            """);

        Assert.Empty(config.Ranges);
        Assert.Equal(
            [(new Cidr(Ip("10.10.0.1"), 24), (Ip?)Ip("10.10.0.254")), (new Cidr(Ip("3ffe:ffff:0:1ff::1"), 64), null)],
            config.Addresses.Select(a => (a.Address, a.Gateway)));
    }

    [Theory]
    [InlineData("etcd_host")]
    [InlineData("etcd_username")]
    [InlineData("etcd_password")]
    [InlineData("etcd_key_file")]
    [InlineData("etcd_cert_file")]
    [InlineData("etcd_ca_cert_file")]
    public void Read_LegacyEtcdKey_AcceptedWithADebugNote(string key)
    {
        var result = Configs.ReadIpam(Range + $", \"{key}\": \"value\"");

        var note = Assert.Single(result.Issues);
        Assert.Equal(ConfigSeverity.Debug, note.Severity);
        Assert.Equal(key, note.Key);
        Assert.Contains("etcd", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EtcdDatastore_UsesKubernetesWithADebugNote()
    {
        var result = Configs.ReadIpam(Range + ", \"datastore\": \"etcd\"");

        Assert.Equal(DatastoreKind.Kubernetes, result.Config!.Datastore);
        var note = Assert.Single(result.Issues);
        Assert.Equal((ConfigSeverity.Debug, "datastore"), (note.Severity, note.Key));
    }

    [Fact]
    public void Read_UnknownKey_AcceptedWithADebugNote()
    {
        var result = Configs.ReadIpam(Range + ", \"preferred_ip\": \"10.0.0.9\"");

        Assert.NotNull(result.Config);
        var note = Assert.Single(result.Issues);
        Assert.Equal((ConfigSeverity.Debug, "preferred_ip", "unknown key, ignored"), (note.Severity, note.Key, note.Message));
    }

    [Fact]
    public void Read_UpstreamsOverwrittenFields_AcceptedSilently()
    {
        // Upstream's untagged Name/PodName/PodNamespace fields decode from these keys and are then overwritten.
        var result = Configs.ReadIpam(Range + ", \"name\": \"x\", \"PodName\": \"p\", \"podNamespace\": \"ns\"");

        Assert.Empty(result.Issues);
        Assert.Equal("mynet", result.Config!.NetworkName);
    }

    [Theory]
    [InlineData("debug", LogLevelSetting.Debug)]
    [InlineData("Error", LogLevelSetting.Error)]
    [InlineData("VERbose", LogLevelSetting.Verbose)]
    [InlineData("PANIC", LogLevelSetting.Panic)]
    public void Read_LogLevel_IsCaseInsensitive(string text, LogLevelSetting expected)
    {
        Assert.Equal(expected, Configs.Valid(Range + $", \"log_level\": \"{text}\"").LogLevel);
    }

    [Fact]
    public void Read_UnknownLogLevel_IgnoredWithUpstreamsWording()
    {
        var result = Configs.ReadIpam(Range + ", \"log_level\": \"XXXX\"");

        Assert.Null(result.Config!.LogLevel);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("log_level", warning.Key);
        Assert.StartsWith("cannot set logging level to XXXX", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/26", 26)]
    [InlineData("26", 26)]
    [InlineData("/24", 24)]
    [InlineData("/30", 30)]
    public void Read_NodeSliceSize_IsUsedWithoutWarning(string text, int prefix)
    {
        var result = Configs.ReadIpam(Range + $", \"node_slice_size\": \"{text}\"");

        Assert.Equal(prefix, result.Config!.NodeSlicePrefix);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("abc", "'abc' is not a prefix length such as /22")]
    [InlineData("/129", "'/129' is not a prefix length")]
    [InlineData("/-1", "'/-1' is not a prefix length")]
    [InlineData("//26", "'//26' is not a prefix length")]
    [InlineData("/ 26", "'/ 26' is not a prefix length")]
    [InlineData("/22", "cannot cut range into node slices: slices of /22 are larger than the range 10.0.0.0/24")]
    [InlineData("/31", "cannot cut range into node slices: slices of /31 have no usable address")]
    [InlineData("/32", "cannot cut range into node slices: slices of /32 have no usable address")]
    [InlineData("/64", "cannot cut range into node slices: /64 is not a prefix length of an IPv4 range")]
    public void Read_NodeSliceSizeInvalid_FailsNamingTheKey(string text, string message)
    {
        var error = Configs.SingleError(Configs.ReadIpam(Range + $", \"node_slice_size\": \"{text}\""));

        Assert.Equal("node_slice_size", error.Key);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NodeSliceSizeGivingTooManySlices_Fails()
    {
        var error = Configs.SingleError(Configs.ReadIpam("\"range\": \"10.0.0.0/8\", \"node_slice_size\": \"/30\""));

        Assert.Equal("node_slice_size", error.Key);
        Assert.Contains("2^22 slices, more than the 8192 one NodeSlicePool can hold: use /21 or shorter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NodeSliceSizeOnIpv6_SlicesTheFirstRange()
    {
        var result = Configs.ReadIpam("\"ipRanges\": [{\"range\": \"fd00::/64\"}, {\"range\": \"10.0.0.0/16\"}], \"node_slice_size\": \"/72\"");

        Assert.True(result.Config is not null, result.ErrorSummary);
        Assert.Equal(72, result.Config.NodeSlicePrefix);
    }

    [Fact]
    public void Read_NodeSliceSizeWhileReleasing_ABadSizeDoesNotStopTheRelease()
    {
        var result = Configs.ReadIpam(Range + ", \"node_slice_size\": \"/22\"", Configs.RangesOnly with { ForRelease = true });

        Assert.Null(result.Config!.NodeSlicePrefix);
        Assert.Equal("node_slice_size", Assert.Single(result.Warnings).Key);
    }

    [Fact]
    public void Read_NegativeSleepForRace_IgnoredWithAWarning()
    {
        var result = Configs.ReadIpam(Range + ", \"sleep_for_race\": -3");

        Assert.Equal(0, result.Config!.SleepForRaceSeconds);
        Assert.Equal("sleep_for_race", Assert.Single(result.Warnings).Key);
    }

    [Fact]
    public void Read_Defaults_AreUpstreams()
    {
        var config = Configs.Valid(Range);

        Assert.True(config.EnableOverlappingRanges);
        Assert.Equal(0, config.SleepForRaceSeconds);
        Assert.Null(config.LogLevel);
        Assert.Null(config.Gateway);
        Assert.Null(config.PoolNetworkName);
        Assert.Equal(DatastoreKind.Kubernetes, config.Datastore);
        Assert.Equal(IpamConfig.DefaultDataDir, config.DataDir);
        Assert.True(config.Dns.IsEmpty);
        Assert.Empty(config.Routes);
        Assert.Equal("0.3.1", config.CniVersion);
        Assert.Equal("mynet", config.NetworkName);
    }
}
