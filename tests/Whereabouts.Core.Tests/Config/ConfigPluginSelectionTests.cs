using Whereabouts.Core.Tests.Support;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Config;

/// <summary>Which plugin's <c>ipam</c> is read: a single plugin, or the first whereabouts plugin of a conflist.</summary>
public sealed class ConfigPluginSelectionTests
{
    [Fact]
    public void Read_Conflist_UsesTheFirstWhereaboutsPluginAndTheListsNameAndVersion()
    {
        var result = Configs.Read("""
            {
              "cniVersion": "1.0.0",
              "name": "dual",
              "plugins": [
                { "type": "bridge", "ipam": { "type": "host-local", "subnet": "10.9.0.0/16" } },
                { "type": "tuning" },
                { "type": "macvlan", "ipam": { "type": "whereabouts", "range": "10.1.0.0/24" } },
                { "type": "macvlan", "ipam": { "type": "whereabouts", "range": "10.2.0.0/24" } }
              ]
            }
            """);

        Assert.NotNull(result.Config);
        Assert.Equal(Cidr("10.1.0.0/24"), Assert.Single(result.Config.Ranges).Subnet);
        Assert.Equal("dual", result.Config.NetworkName);
        Assert.Equal("1.0.0", result.Config.CniVersion);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[{"type":"bridge","ipam":{"type":"host-local"}}]}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[]}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[{"type":"macvlan","ipam":{"type":"Whereabouts"}}]}""")]
    public void Read_ConflistWithoutWhereabouts_IsNotWhereabouts(string json)
    {
        var result = Configs.Read(json);

        Assert.True(result.NotWhereabouts);
        Assert.Equal("plugins", Configs.SingleError(result).Key);
    }

    [Theory]
    [InlineData("""{"cniVersion":"0.3.1","name":"n","type":"ipvlan","ipam":null}""")]
    [InlineData("""{"cniVersion":"0.3.1","name":"n","type":"ipvlan","ipam":{}}""")]
    [InlineData("""{"cniVersion":"0.3.1","name":"n","type":"ipvlan","ipam":{"type":"host-local","range":"10.0.0.0/24"}}""")]
    public void Read_PluginWithoutWhereaboutsIpam_IsNotWhereabouts(string json)
    {
        Assert.True(Configs.Read(json).NotWhereabouts);
    }

    [Fact]
    public void Read_IpamNotAnObject_FailsAsAnError()
    {
        var result = Configs.Read("""{"cniVersion":"0.3.1","name":"n","type":"ipvlan","ipam":"whereabouts"}""");

        Assert.False(result.NotWhereabouts);
        Assert.Equal("ipam", Configs.SingleError(result).Key);
    }

    [Fact]
    public void Read_SinglePluginWithAPluginsKey_IsStillASinglePlugin()
    {
        var result = Configs.Read("""
            {"cniVersion":"0.4.0","name":"n","type":"ipvlan","plugins":[],"ipam":{"type":"whereabouts","range":"10.0.0.0/24"}}
            """);

        Assert.Equal(Cidr("10.0.0.0/24"), Assert.Single(result.Config!.Ranges).Subnet);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("")]
    public void Read_NotAJsonObject_Fails(string json)
    {
        var result = Configs.Read(json);

        Assert.False(result.NotWhereabouts);
        Assert.Equal("config", Configs.SingleError(result).Key);
    }

    [Fact]
    public void Read_NameOfWrongType_ErrorNamesTheKey()
    {
        var result = Configs.Read("""{"cniVersion":"0.3.1","name":5,"type":"ipvlan","ipam":{"type":"whereabouts","range":"10.0.0.0/24"}}""");

        Assert.Equal("name", Configs.SingleError(result).Key);
    }

    [Fact]
    public void Read_NoCniVersion_DefaultsTo010()
    {
        var result = Configs.Read("""{"name":"n","type":"ipvlan","ipam":{"type":"whereabouts","range":"10.0.0.0/24"}}""");

        Assert.Equal("0.1.0", result.Config!.CniVersion);
    }

    [Fact]
    public void Read_PackageExampleNetworkAttachmentDefinition_IsValid()
    {
        // The ipvlan example of the package documentation.
        var result = Configs.Read("""
            {
                "cniVersion": "0.3.0",
                "name": "ipvlan-conf-1",
                "type": "ipvlan",
                "master": "eth0",
                "mode": "bridge",
                "ipam": {
                    "type": "whereabouts",
                    "range": "192.168.20.0/24",
                    "gateway": "192.168.20.1",
                    "range_start": "192.168.20.2",
                    "range_end": "192.168.20.100"
                }
            }
            """);

        Assert.Empty(result.Issues);
        var range = Assert.Single(result.Config!.Ranges);
        Assert.Equal((Cidr("192.168.20.0/24"), Ip("192.168.20.2"), Ip("192.168.20.100")), (range.Subnet, range.RangeStart!.Value, range.RangeEnd!.Value));
        Assert.Equal(Ip("192.168.20.1"), result.Config.Gateway);
        Assert.Equal("ipvlan-conf-1", result.Config.NetworkName);
    }
}
