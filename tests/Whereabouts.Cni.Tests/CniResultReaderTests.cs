using System.Text;
using static Whereabouts.Cni.Tests.Support.Results;

namespace Whereabouts.Cni.Tests;

public sealed class CniResultReaderTests
{
    public static TheoryData<string> DualStackShapes => new()
    {
        // 1.x IPAM result.
        """{"cniVersion":"1.1.0","ips":[{"address":"10.1.2.2/24","gateway":"10.1.2.1"},{"address":"2001:db8:1::2/64","gateway":"2001:db8:1::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"},{"dst":"::/0","gw":"2001:db8:1::1"}],"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""",

        // 0.4.0 with version fields, as cached by libcni: interfaces and interface indices included.
        """{"cniVersion":"0.4.0","interfaces":[{"name":"net1","mac":"aa:bb:cc:dd:ee:ff","sandbox":"/var/run/netns/t"}],"ips":[{"version":"4","interface":0,"address":"10.1.2.2/24","gateway":"10.1.2.1"},{"version":"6","interface":0,"address":"2001:db8:1::2/64","gateway":"2001:db8:1::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"},{"dst":"::/0","gw":"2001:db8:1::1"}],"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""",

        // 1.1.0 interface plugin result with 1.1 interface fields.
        """{"cniVersion":"1.1.0","interfaces":[{"name":"net1","mac":"aa:bb:cc:dd:ee:ff","mtu":1500,"sandbox":"/x","socketPath":"/s","pciID":"0000:00:01.0"}],"ips":[{"interface":0,"address":"10.1.2.2/24","gateway":"10.1.2.1"},{"interface":0,"address":"2001:db8:1::2/64","gateway":"2001:db8:1::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"},{"dst":"::/0","gw":"2001:db8:1::1"}],"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""",

        // 0.2.0 ip4/ip6: routes concatenated, ip4 first.
        """{"cniVersion":"0.2.0","ip4":{"ip":"10.1.2.2/24","gateway":"10.1.2.1","routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"}]},"ip6":{"ip":"2001:db8:1::2/64","gateway":"2001:db8:1::1","routes":[{"dst":"::/0","gw":"2001:db8:1::1"}]},"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""",

        // Same 0.2.0 shape without cniVersion and with ip6 before ip4 in the text.
        """{"ip6":{"ip":"2001:db8:1::2/64","gateway":"2001:db8:1::1","routes":[{"dst":"::/0","gw":"2001:db8:1::1"}]},"ip4":{"ip":"10.1.2.2/24","gateway":"10.1.2.1","routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"}]},"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""",
    };

    [Theory]
    [MemberData(nameof(DualStackShapes))]
    public void Read_AnyShape_YieldsSameResult(string json) =>
        Assert.Equal(DualStack, CniResultReader.Read(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("0.4.0")]
    [InlineData("0.3.0")]
    [InlineData("0.2.0")]
    public void Read_WrittenResult_RoundTrips(string version)
    {
        var result = CniVersions.SupportsMultipleIpsPerFamily(version)
            ? DualStack with { Routes = [new CniRoute("10.9.0.0/16", "10.1.2.1", 1400, 1360, 5, 0, 253)] }
            : DualStack;

        Assert.Equal(result, CniResultReader.Read(Encoding.UTF8.GetBytes(Write(result, version))));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"cniVersion":"1.0.0"}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":null,"routes":null,"dns":null}""")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[],"dns":{}}""")]
    [InlineData("""{"cniVersion":"0.2.0","ip4":null,"dns":{}}""")]
    public void Read_Empty_YieldsEmptyResult(string json)
    {
        var result = CniResultReader.Read(Encoding.UTF8.GetBytes(json));

        Assert.Empty(result.Ips);
        Assert.Empty(result.Routes);
        Assert.True(result.Dns.IsEmpty);
    }

    [Fact]
    public void Read_AddressWithHostBits_KeepsThem()
    {
        var result = CniResultReader.Read("""{"ips":[{"address":"10.0.0.5/24"}]}"""u8);

        Assert.Equal(Ip("10.0.0.5", 24), Assert.Single(result.Ips));
    }

    [Theory]
    [InlineData("[]", "result must be an object")]
    [InlineData("""{"ips":{}}""", "result.ips must be an array")]
    [InlineData("""{"ips":[{}]}""", "result.ips[0].address is required")]
    [InlineData("""{"ips":[{"address":"10.0.0.5"}]}""", "result.ips[0].address is not an address in CIDR form")]
    [InlineData("""{"ips":[{"address":"10.0.0.5/33"}]}""", "result.ips[0].address is not an address in CIDR form")]
    [InlineData("""{"ips":[{"address":"10/8"}]}""", "result.ips[0].address is not an address in CIDR form")]
    [InlineData("""{"ips":[{"address":"010.0.0.5/24"}]}""", "result.ips[0].address is not an address in CIDR form")]
    [InlineData("""{"ips":[{"address":"fe80::1%eth0/64"}]}""", "result.ips[0].address is not an address in CIDR form")]
    [InlineData("""{"ips":[{"address":"10.0.0.5/24","gateway":"10.0.0"}]}""", "result.ips[0].gateway is not an IP address")]
    [InlineData("""{"ips":[{"address":7}]}""", "result.ips[0].address must be a string, not a number")]
    [InlineData("""{"routes":[{"gw":"10.0.0.1"}]}""", "result.routes[0].dst is required")]
    [InlineData("""{"routes":[{"dst":"default"}]}""", "result.routes[0].dst is not a destination in CIDR form")]
    [InlineData("""{"routes":[{"dst":"0.0.0.0/0","mtu":"1500"}]}""", "result.routes[0].mtu must be a 32-bit integer")]
    [InlineData("""{"routes":[{"dst":"0.0.0.0/0","mtu":1500.5}]}""", "result.routes[0].mtu must be a 32-bit integer")]
    [InlineData("""{"dns":{"nameservers":"1.1.1.1"}}""", "result.dns.nameservers must be an array")]
    [InlineData("""{"dns":{"search":[1]}}""", "result.dns.search[0] must be a string")]
    [InlineData("""{"ip4":{"gateway":"10.0.0.1"}}""", "result.ip4.ip is required")]
    [InlineData("""{"ip4":"10.0.0.5/24"}""", "result.ip4 must be an object")]
    [InlineData("{", "invalid CNI result: ")]
    public void Read_Malformed_ThrowsDecodingFailure(string json, string messagePart)
    {
        var ex = Assert.Throws<CniException>(() => CniResultReader.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(CniErrorCodes.DecodingFailure, ex.Code);
        Assert.StartsWith("invalid CNI result: ", ex.Error.Message, StringComparison.Ordinal);
        Assert.Contains(messagePart, ex.Error.Message, StringComparison.Ordinal);
    }
}
