using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Config;

/// <summary>Flat file search order and merge (upstream §2.4), through the <c>FlatFiles</c> lookup.</summary>
public sealed class ConfigFlatFileTests
{
    private const string Range = "\"range\": \"10.0.0.0/24\"";
    private const string InlineComplete = Range + ", \"kubernetes\": {\"kubeconfig\": \"/inline/kubeconfig\"}";
    private static readonly IReadOnlyList<string> Defaults = IpamConfigReader.DefaultFlatFilePaths;

    private static IpamConfigReadOptions Options(FakeFlatFiles files, params string[] extra) =>
        new() { FlatFiles = files.Lookup, ExtraFlatFilePaths = extra };

    [Fact]
    public void DefaultFlatFilePaths_AreUpstreamsInOrder()
    {
        Assert.Equal(
            [
                "/etc/kubernetes/cni/net.d/whereabouts.d/whereabouts.conf",
                "/etc/cni/net.d/whereabouts.d/whereabouts.conf",
                "/host/etc/cni/net.d/whereabouts.d/whereabouts.conf",
            ],
            Defaults);
    }

    [Fact]
    public void Read_NothingFound_SearchesConfigurationPathThenDefaultsThenExtras()
    {
        var files = new FakeFlatFiles();

        Configs.Valid(InlineComplete + ", \"configuration_path\": \"/opt/wb\"", Options(files, "/extra/a.conf", "/extra/b.conf"));

        Assert.Equal(
            ["/opt/wb", "/opt/wb/whereabouts.conf", .. Defaults, "/extra/a.conf", "/extra/b.conf"],
            files.Asked);
    }

    [Fact]
    public void Read_ConfigurationPathIsTheFile_UsesItFirst()
    {
        var files = new FakeFlatFiles()
            .With("/opt/wb/custom.conf", "{\"log_level\": \"error\"}")
            .With(Defaults[0], "{\"log_level\": \"panic\"}");

        var config = Configs.Valid(InlineComplete + ", \"configuration_path\": \"/opt/wb/custom.conf\"", Options(files));

        Assert.Equal(LogLevelSetting.Error, config.LogLevel);
        Assert.Equal("/opt/wb/custom.conf", config.FlatFilePath);
        Assert.Equal(["/opt/wb/custom.conf"], files.Asked);
    }

    [Fact]
    public void Read_ConfigurationPathIsTheDirectory_UsesTheFileInside()
    {
        // install-cni writes the directory; a directory is "not found" for the lookup, the file inside is.
        var files = new FakeFlatFiles().With("/opt/wb/whereabouts.conf", "{\"log_level\": \"verbose\"}");

        var config = Configs.Valid(InlineComplete + ", \"configuration_path\": \"/opt/wb\"", Options(files));

        Assert.Equal(LogLevelSetting.Verbose, config.LogLevel);
        Assert.Equal("/opt/wb/whereabouts.conf", config.FlatFilePath);
        Assert.Equal("/opt/wb", config.ConfigurationPath);
    }

    [Fact]
    public void Read_SeveralFilesExist_FirstFoundWins()
    {
        var files = new FakeFlatFiles()
            .With(Defaults[1], "{\"log_level\": \"error\"}")
            .With(Defaults[2], "{\"log_level\": \"panic\"}")
            .With("/extra.conf", "{\"log_level\": \"verbose\"}");

        var config = Configs.Valid(InlineComplete, Options(files, "/extra.conf"));

        Assert.Equal(LogLevelSetting.Error, config.LogLevel);
        Assert.Equal(Defaults[1], config.FlatFilePath);
        Assert.Equal([Defaults[0], Defaults[1]], files.Asked);
    }

    [Fact]
    public void Read_OnlyExtraPathExists_UsesIt()
    {
        var files = new FakeFlatFiles().With("/extra.conf", "{\"kubernetes\": {\"kubeconfig\": \"/flat/kubeconfig\"}}");

        var config = Configs.Valid(Range, Options(files, "/extra.conf"));

        Assert.Equal("/flat/kubeconfig", config.Kubeconfig);
        Assert.Equal("/extra.conf", config.FlatFilePath);
    }

    [Fact]
    public void Read_NoLookup_SkipsTheFlatFile()
    {
        var config = Configs.Valid(Range);

        Assert.Null(config.FlatFilePath);
        Assert.Null(config.Kubeconfig);
    }

    [Fact]
    public void Read_LookupFails_ErrorNamesThePath()
    {
        var files = new FakeFlatFiles().Failing(Defaults[0], "permission denied");

        var error = Configs.SingleError(Configs.ReadIpam(InlineComplete, Options(files)));

        Assert.Equal(Defaults[0], error.Key);
        Assert.Equal("cannot read the flat configuration file: permission denied", error.Message);
        Assert.Equal([Defaults[0]], files.Asked);
    }

    [Fact]
    public void Read_FlatFileNotJson_ErrorNamesThePath()
    {
        var files = new FakeFlatFiles().With(Defaults[0], "{ nope");

        var error = Configs.SingleError(Configs.ReadIpam(InlineComplete, Options(files)));

        Assert.Equal(Defaults[0], error.Key);
        Assert.StartsWith("the flat configuration file is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    public void Read_FlatFileNotAnObject_OneErrorNamingThePath(string content)
    {
        var files = new FakeFlatFiles().With(Defaults[0], content);

        var error = Configs.SingleError(Configs.ReadIpam(InlineComplete, Options(files)));

        Assert.Equal(Defaults[0], error.Key);
    }

    [Fact]
    public void Read_FlatFileTypeError_KeyCarriesThePath()
    {
        var files = new FakeFlatFiles().With(Defaults[0], "{\"log_level\": 3}");

        var error = Configs.SingleError(Configs.ReadIpam(InlineComplete, Options(files)));

        Assert.Equal(Defaults[0] + ":log_level", error.Key);
    }

    [Fact]
    public void Read_InlineValues_WinOverTheFlatFile()
    {
        var files = new FakeFlatFiles().With(Defaults[0], """
            {
              "range": "10.9.0.0/16", "gateway": "10.0.0.9", "log_level": "panic", "network_name": "flat",
              "sleep_for_race": 9, "datastore": "file", "data_dir": "/flat",
              "kubernetes": { "kubeconfig": "/flat/kubeconfig" }
            }
            """);

        var config = Configs.Valid(InlineComplete + """
            , "gateway": "10.0.0.1", "log_level": "error", "network_name": "inline", "sleep_for_race": 2,
            "datastore": "kubernetes", "data_dir": "/inline"
            """, Options(files));

        Assert.Equal(Cidr("10.0.0.0/24"), Assert.Single(config.Ranges).Subnet);
        Assert.Equal(Ip("10.0.0.1"), config.Gateway);
        Assert.Equal(LogLevelSetting.Error, config.LogLevel);
        Assert.Equal("inline", config.PoolNetworkName);
        Assert.Equal(2, config.SleepForRaceSeconds);
        Assert.Equal(DatastoreKind.Kubernetes, config.Datastore);
        Assert.Equal("/inline", config.DataDir);
        Assert.Equal("/inline/kubeconfig", config.Kubeconfig);
    }

    [Fact]
    public void Read_ZeroInlineValues_TakeTheFlatFilesValues()
    {
        // mergo fills zero values: "", 0 and empty lists, as well as missing keys.
        var files = new FakeFlatFiles().With(Defaults[0], """
            {
              "range": "10.9.0.0/16", "exclude": ["10.9.0.0/24"], "gateway": "10.9.0.1", "sleep_for_race": 4,
              "log_file": "/flat.log", "routes": [{ "dst": "0.0.0.0/0" }], "addresses": [{ "address": "10.10.0.1/24" }],
              "kubernetes": { "kubeconfig": "/flat/kubeconfig" }
            }
            """);

        var config = Configs.Valid("""
            "range": "", "exclude": [], "gateway": "", "sleep_for_race": 0, "log_file": "", "routes": [], "addresses": [],
            "kubernetes": { "kubeconfig": "", "k8s_api_root": "https://inline:6443" }
            """, Options(files));

        var range = Assert.Single(config.Ranges);
        Assert.Equal(Cidr("10.9.0.0/16"), range.Subnet);
        Assert.Equal([Cidr("10.9.0.0/24")], range.Excludes);
        Assert.Equal(Ip("10.9.0.1"), config.Gateway);
        Assert.Equal(4, config.SleepForRaceSeconds);
        Assert.Equal("/flat.log", config.LogFile);
        Assert.Equal(Cidr("0.0.0.0/0"), Assert.Single(config.Routes).Destination);
        Assert.Equal(new Cidr(Ip("10.10.0.1"), 24), Assert.Single(config.Addresses).Address);
        Assert.Equal("/flat/kubeconfig", config.Kubeconfig);
        Assert.Equal("https://inline:6443", config.KubernetesApiRoot);
    }

    [Fact]
    public void Read_DnsInBoth_MergesFieldByField()
    {
        var files = new FakeFlatFiles().With(Defaults[0], """
            { "dns": { "nameservers": ["9.9.9.9"], "domain": "flat.example", "search": ["flat.example"], "options": ["ndots:2"] } }
            """);

        var config = Configs.Valid(InlineComplete + """
            , "dns": { "nameservers": ["8.8.8.8"], "search": [] }
            """, Options(files));

        Assert.Equal(["8.8.8.8"], config.Dns.Nameservers);
        Assert.Equal("flat.example", config.Dns.Domain);
        Assert.Equal(["flat.example"], config.Dns.Search);
        Assert.Equal(["ndots:2"], config.Dns.Options);
    }

    [Fact]
    public void Read_IpRangesOnlyInTheFlatFile_AreUsed()
    {
        var files = new FakeFlatFiles().With(Defaults[0], """
            { "ipRanges": [{ "range": "10.1.0.0/24" }, { "range": "fd00::/64" }] }
            """);

        var config = Configs.Valid("\"kubernetes\": {\"kubeconfig\": \"/k\"}", Options(files));

        Assert.Equal([Cidr("10.1.0.0/24"), Cidr("fd00::/64")], config.Ranges.Select(r => r.Subnet));
    }

    [Fact]
    public void Read_EnableOverlappingRangesInFlatFile_IgnoredWithADebugNote()
    {
        var files = new FakeFlatFiles().With(Defaults[0], "{\"enable_overlapping_ranges\": false}");

        var result = Configs.ReadIpam(InlineComplete, Options(files));

        Assert.True(result.Config!.EnableOverlappingRanges);
        var note = Assert.Single(result.Issues);
        Assert.Equal(ConfigSeverity.Debug, note.Severity);
        Assert.Equal(Defaults[0], note.Key);
    }

    [Fact]
    public void Read_KubernetesDatastoreWithoutKubeconfig_FailsListingTheSearchedPaths()
    {
        var files = new FakeFlatFiles();

        var error = Configs.SingleError(Configs.ReadIpam(Range, Options(files, "/extra.conf")));

        Assert.Equal("kubernetes.kubeconfig", error.Key);
        Assert.Contains(string.Join(", ", [.. Defaults, "/extra.conf"]), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoLookupAndNoKubeconfig_SaysNoFlatFileWasSearched()
    {
        var error = Configs.SingleError(Configs.ReadIpam(Range, new IpamConfigReadOptions()));

        Assert.Equal("kubernetes.kubeconfig", error.Key);
        Assert.Contains("no flat file was searched", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(", \"datastore\": \"file\"", true)]
    [InlineData(", \"datastore\": \"FILE\"", true)]
    [InlineData("", false)]
    [InlineData(", \"datastore\": \"kubernetes\"", false)]
    [InlineData(", \"datastore\": \"etcd\"", false)]
    public void Read_KubeconfigRequirement_OnlyForTheKubernetesDatastore(string datastore, bool valid)
    {
        var result = Configs.ReadIpam(Range + datastore, new IpamConfigReadOptions { FlatFiles = new FakeFlatFiles().Lookup });
        var relaxed = Configs.ReadIpam(Range + datastore, new IpamConfigReadOptions { RequireDatastore = false });

        Assert.Equal(valid, result.Config is not null);
        Assert.NotNull(relaxed.Config);
    }
}
