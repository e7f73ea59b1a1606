using Whereabouts.Core.Config;
using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Config;

/// <summary>Upstream §9.3 (pkg/config tests C1–C15), with our messages where they differ.</summary>
public sealed class ConfigUpstreamTests
{
    private const string FlatPath = "/tmp/wb/whereabouts.conf";

    private const string C1Ipam = $$"""
        "range": "192.168.1.5-192.168.1.25/24",
        "gateway": "192.168.10.1",
        "log_file": "/tmp/wb/whereabouts.log",
        "log_level": "debug",
        "kubernetes": { "kubeconfig": "{{Configs.Kubeconfig}}" }
        """;

    private static IpamConfigReadOptions WithFlat(FakeFlatFiles files) => new() { FlatFiles = files.Lookup };

    private static void AssertC1(IpamConfig config)
    {
        var range = Assert.Single(config.Ranges);
        Assert.Equal(Cidr("192.168.1.0/24"), range.Subnet);
        Assert.Equal(Ip("192.168.1.5"), range.RangeStart);
        Assert.Equal(Ip("192.168.1.25"), range.RangeEnd);
        Assert.Equal(Ip("192.168.10.1"), config.Gateway);
        Assert.Equal(LogLevelSetting.Debug, config.LogLevel);
        Assert.Equal("/tmp/wb/whereabouts.log", config.LogFile);
        Assert.Equal(Configs.Kubeconfig, config.Kubeconfig);
    }

    [Fact]
    public void Read_C1DashRangeWithGatewayAndLogging_ReadsEverything()
    {
        var files = new FakeFlatFiles().With(IpamConfigReader.DefaultFlatFilePaths[0], "{}");

        AssertC1(Configs.Valid(C1Ipam, WithFlat(files)));
    }

    [Fact]
    public void Read_C1LeaderSettings_AcceptedAndReportedAsIgnored()
    {
        // Upstream defaults leader_* to 1500/1000/500 ms; there is no cluster-wide lock here, so they only get a debug line.
        var result = Configs.ReadIpam(C1Ipam + """
            , "leader_lease_duration": 1500, "leader_renew_deadline": 1000, "leader_retry_period": 500
            """);

        Assert.NotNull(result.Config);
        Assert.Equal(
            ["leader_lease_duration", "leader_renew_deadline", "leader_retry_period"],
            result.Issues.Where(i => i.Severity == ConfigSeverity.Debug).Select(i => i.Key));
    }

    [Fact]
    public void Read_C2NoFlatFileAnywhere_FlatFileIsOptional()
    {
        // Upstream fails with "config file not found"; a complete inline configuration needs no flat file here.
        var files = new FakeFlatFiles();

        var config = Configs.Valid(C1Ipam, WithFlat(files));

        Assert.Null(config.FlatFilePath);
        Assert.Equal(IpamConfigReader.DefaultFlatFilePaths, files.Asked);
    }

    [Fact]
    public void Read_C3FlatFileAtConfigurationPath_FillsGapsAndInlineWins()
    {
        var files = new FakeFlatFiles().With(FlatPath, $$"""
            {
              "datastore": "kubernetes",
              "kubernetes": { "kubeconfig": "{{Configs.Kubeconfig}}" },
              "log_file": "/tmp/wb/whereabouts.log",
              "log_level": "debug",
              "gateway": "192.168.5.5"
            }
            """);

        var config = Configs.Valid($$"""
            "configuration_path": "{{FlatPath}}",
            "range": "192.168.2.230/24",
            "range_start": "192.168.2.223",
            "gateway": "192.168.10.1",
            "leader_lease_duration": 3000, "leader_renew_deadline": 2000, "leader_retry_period": 1000
            """, WithFlat(files));

        Assert.Equal(LogLevelSetting.Debug, config.LogLevel);
        Assert.Equal("/tmp/wb/whereabouts.log", config.LogFile);
        Assert.Equal(Configs.Kubeconfig, config.Kubeconfig);
        Assert.Equal(DatastoreKind.Kubernetes, config.Datastore);
        var range = Assert.Single(config.Ranges);
        Assert.Equal(Cidr("192.168.2.0/24"), range.Subnet);
        Assert.Equal(Ip("192.168.2.223"), range.RangeStart);
        Assert.Equal(Ip("192.168.10.1"), config.Gateway);
        Assert.Equal(FlatPath, config.FlatFilePath);
        Assert.Equal([FlatPath], files.Asked);
    }

    [Theory]
    [InlineData("false", "true", true)] // C4
    [InlineData("true", "false", false)] // C5
    [InlineData("false", null, true)]
    [InlineData(null, "false", false)]
    [InlineData(null, null, true)]
    public void Read_C4C5EnableOverlappingRanges_OnlyTheInlineValueCounts(string? flat, string? inline, bool expected)
    {
        var files = new FakeFlatFiles().With(
            IpamConfigReader.DefaultFlatFilePaths[1],
            flat is null ? "{}" : $$"""{ "enable_overlapping_ranges": {{flat}} }""");
        var body = C1Ipam + (inline is null ? "" : $", \"enable_overlapping_ranges\": {inline}");

        Assert.Equal(expected, Configs.Valid(body, WithFlat(files)).EnableOverlappingRanges);
    }

    [Fact]
    public void Read_C6Conflist_ReadsThePluginsIpamWithTheListsVersion()
    {
        var json = $$$"""
            {
              "cniVersion": "0.3.0",
              "disableCheck": true,
              "name": "mynet-list",
              "plugins": [
                {
                  "type": "macvlan",
                  "master": "foo0",
                  "ipam": {
                    "type": "whereabouts",
                    {{{C1Ipam}}},
                    "leader_lease_duration": 1500, "leader_renew_deadline": 1000, "leader_retry_period": 500
                  }
                }
              ]
            }
            """;

        var result = Configs.Read(json);

        Assert.NotNull(result.Config);
        AssertC1(result.Config);
        Assert.Equal("0.3.0", result.Config.CniVersion);
        Assert.Equal("mynet-list", result.Config.NetworkName);
    }

    [Fact]
    public void Read_C7OtherIpamType_IsNotWhereabouts()
    {
        var result = Configs.Read("""{"cniVersion":"0.3.1","name":"n","type":"ipvlan","ipam":{"type":"static"}}""");

        Assert.True(result.NotWhereabouts);
        var error = Configs.SingleError(result);
        Assert.Equal("type", error.Key);
        Assert.Equal("only interested in networks whose IPAM type is 'whereabouts'. This one was: static", error.Message);
    }

    [Fact]
    public void Read_C8NoIpamKey_IsNotWhereabouts()
    {
        var result = Configs.Read("""{"cniVersion":"0.3.1","name":"n","type":"ipvlan"}""");

        Assert.True(result.NotWhereabouts);
        var error = Configs.SingleError(result);
        Assert.Equal("ipam", error.Key);
        Assert.Equal("IPAM config missing 'ipam' key", error.Message);
    }

    [Fact]
    public void Read_C9DashRangeWithLeadingZeros_ReadsDecimal()
    {
        var range = Assert.Single(Configs.Valid("\"range\": \"00192.00168.1.5-000000192.168.1.25/24\"").Ranges);

        Assert.Equal(Cidr("192.168.1.0/24"), range.Subnet);
        Assert.Equal(Ip("192.168.1.5"), range.RangeStart);
        Assert.Equal(Ip("192.168.1.25"), range.RangeEnd);
    }

    [Fact]
    public void Read_C10CidrWithLeadingZeros_HasNoExplicitStart()
    {
        // Upstream sets RangeStart to the network address, which allocation then ignores; here it is simply unset.
        var range = Assert.Single(Configs.Valid("\"range\": \"00192.00168.1.0/24\"").Ranges);

        Assert.Equal(Cidr("192.168.1.0/24"), range.Subnet);
        Assert.Null(range.RangeStart);
        Assert.Null(range.RangeEnd);
    }

    [Fact]
    public void Read_C11C12C13BoundsAndCronWithLeadingZeros_ReadDecimal()
    {
        var config = Configs.Valid("""
            "range": "00192.00168.1.0/24",
            "range_start": "00192.00168.1.44",
            "range_end": "00192.00168.01.209",
            "reconciler_cron_expression": "30 4 * * *"
            """);

        var range = Assert.Single(config.Ranges);
        Assert.Equal(Ip("192.168.1.44"), range.RangeStart);
        Assert.Equal(Ip("192.168.1.209"), range.RangeEnd);
        Assert.Equal("30 4 * * *", config.ReconcilerCronExpression);
    }

    [Fact]
    public void Read_C14DashStartOutsideCidr_FailsWithUpstreamMessage()
    {
        var error = Configs.SingleError(Configs.ReadIpam("\"range\": \"192.168.1.5-192.168.2.25/28\""));

        Assert.Equal("range", error.Key);
        Assert.Equal("invalid range start for CIDR 192.168.2.16/28: 192.168.1.5", error.Message);
    }

    [Fact]
    public void Read_C15BrokenJson_FailsAsInvalidJson()
    {
        var result = Configs.Read("""{"cniVersion":"0.3.1","name":"n","type":"ipvlan","ipam": { asdf }}""");

        var error = Configs.SingleError(result);
        Assert.False(result.NotWhereabouts);
        Assert.Equal("config", error.Key);
        Assert.StartsWith("invalid JSON: ", error.Message, StringComparison.Ordinal);
    }
}
