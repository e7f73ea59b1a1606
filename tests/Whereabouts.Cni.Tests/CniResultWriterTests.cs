using System.Buffers;
using System.Text;
using static Whereabouts.Cni.Tests.Support.Results;

namespace Whereabouts.Cni.Tests;

public sealed class CniResultWriterTests
{
    private const string DnsJson = """{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}""";

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void WriteResult_DualStack_V1(string version) => Assert.Equal(
        $$"""{"cniVersion":"{{version}}","ips":[{"address":"10.1.2.2/24","gateway":"10.1.2.1"},{"address":"2001:db8:1::2/64","gateway":"2001:db8:1::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"},{"dst":"::/0","gw":"2001:db8:1::1"}],"dns":{{DnsJson}}}""",
        Write(DualStack, version));

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    public void WriteResult_DualStack_V04HasIpVersion(string version) => Assert.Equal(
        $$"""{"cniVersion":"{{version}}","ips":[{"version":"4","address":"10.1.2.2/24","gateway":"10.1.2.1"},{"version":"6","address":"2001:db8:1::2/64","gateway":"2001:db8:1::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"},{"dst":"::/0","gw":"2001:db8:1::1"}],"dns":{{DnsJson}}}""",
        Write(DualStack, version));

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("0.2.0")]
    public void WriteResult_DualStack_V02SplitsByFamily(string version) => Assert.Equal(
        $$"""{"cniVersion":"{{version}}","ip4":{"ip":"10.1.2.2/24","gateway":"10.1.2.1","routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"}]},"ip6":{"ip":"2001:db8:1::2/64","gateway":"2001:db8:1::1","routes":[{"dst":"::/0","gw":"2001:db8:1::1"}]},"dns":{{DnsJson}}}""",
        Write(DualStack, version));

    // Minimal result: routes omitted everywhere; dns omitted in 1.x, {} in 0.x.
    [Theory]
    [InlineData("1.1.0", """{"cniVersion":"1.1.0","ips":[{"address":"10.0.0.5/24"}]}""")]
    [InlineData("1.0.0", """{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.5/24"}]}""")]
    [InlineData("0.4.0", """{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.5/24"}],"dns":{}}""")]
    [InlineData("0.3.1", """{"cniVersion":"0.3.1","ips":[{"version":"4","address":"10.0.0.5/24"}],"dns":{}}""")]
    [InlineData("0.3.0", """{"cniVersion":"0.3.0","ips":[{"version":"4","address":"10.0.0.5/24"}],"dns":{}}""")]
    [InlineData("0.2.0", """{"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.5/24"},"dns":{}}""")]
    [InlineData("0.1.0", """{"cniVersion":"0.1.0","ip4":{"ip":"10.0.0.5/24"},"dns":{}}""")]
    public void WriteResult_Minimal_OmitsEmptyMembers(string version, string expected) =>
        Assert.Equal(expected, Write(Minimal, version));

    // Partial DNS: only the non-empty members, in every version.
    [Theory]
    [InlineData("1.1.0", """{"cniVersion":"1.1.0","ips":[{"address":"10.0.0.5/24"}],"dns":{"search":["svc.local"]}}""")]
    [InlineData("0.4.0", """{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.5/24"}],"dns":{"search":["svc.local"]}}""")]
    [InlineData("0.2.0", """{"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.5/24"},"dns":{"search":["svc.local"]}}""")]
    public void WriteResult_PartialDns_WritesOnlySetMembers(string version, string expected) =>
        Assert.Equal(expected, Write(Minimal with { Dns = new CniDns([], null, ["svc.local"], []) }, version));

    // Spec 1.1.0 route fields: kept for 0.3+ (types.Route is shared), dropped for 0.1/0.2.
    [Theory]
    [InlineData("1.1.0", """{"cniVersion":"1.1.0","ips":[{"address":"10.0.0.5/24"}],"routes":[{"dst":"10.9.0.0/16","gw":"10.0.0.1","mtu":1400,"advmss":1360,"priority":5,"table":0,"scope":253}]}""")]
    [InlineData("0.4.0", """{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.5/24"}],"routes":[{"dst":"10.9.0.0/16","gw":"10.0.0.1","mtu":1400,"advmss":1360,"priority":5,"table":0,"scope":253}],"dns":{}}""")]
    [InlineData("0.2.0", """{"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.5/24","routes":[{"dst":"10.9.0.0/16","gw":"10.0.0.1"}]},"dns":{}}""")]
    public void WriteResult_ExtendedRouteFields_DependOnVersion(string version, string expected)
    {
        var result = Minimal with { Routes = [new CniRoute("10.9.0.0/16", "10.0.0.1", 1400, 1360, 5, 0, 253)] };

        Assert.Equal(expected, Write(result, version));
    }

    [Fact]
    public void WriteResult_V02_KeepsFirstAddressPerFamilyAndDropsOrphanRoutes()
    {
        var result = new CniResult(
            [Ip("2001:db8::5", 64), Ip("10.0.0.5", 24), Ip("2001:db8::6", 64), Ip("10.0.0.6", 24)],
            [new CniRoute("::/0"), new CniRoute("0.0.0.0/0", "10.0.0.1")],
            CniDns.Empty);
        var v6Only = new CniResult([Ip("2001:db8::5", 64)], [new CniRoute("0.0.0.0/0"), new CniRoute("::/0")], CniDns.Empty);

        Assert.Equal(
            """{"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.5/24","routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1"}]},"ip6":{"ip":"2001:db8::5/64","routes":[{"dst":"::/0"}]},"dns":{}}""",
            Write(result, "0.2.0"));
        Assert.Equal(
            """{"cniVersion":"0.2.0","ip6":{"ip":"2001:db8::5/64","routes":[{"dst":"::/0"}]},"dns":{}}""",
            Write(v6Only, "0.2.0"));
    }

    [Fact]
    public void WriteResult_V03_KeepsEveryAddressInOrder() => Assert.Equal(
        """{"cniVersion":"0.3.1","ips":[{"version":"6","address":"2001:db8::5/64"},{"version":"4","address":"10.0.0.5/24"},{"version":"4","address":"10.0.1.5/24"}],"dns":{}}""",
        Write(new CniResult([Ip("2001:db8::5", 64), Ip("10.0.0.5", 24), Ip("10.0.1.5", 24)], [], CniDns.Empty), "0.3.1"));

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("0.2.0")]
    public void WriteResult_V02WithoutAddresses_ThrowsAndWritesNothing(string version)
    {
        var buffer = new ArrayBufferWriter<byte>();

        var ex = Assert.Throws<CniException>(() =>
            CniResultWriter.WriteResult(buffer, new CniResult([], [new CniRoute("0.0.0.0/0")], FullDns), version));

        Assert.Equal(CniErrorCodes.Internal, ex.Code);
        Assert.Equal("cannot convert: no valid IP addresses", ex.Error.Message);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Theory]
    [InlineData("1.1.0", """{"cniVersion":"1.1.0"}""")]
    [InlineData("0.4.0", """{"cniVersion":"0.4.0","dns":{}}""")]
    public void WriteResult_NoAddresses_OmitsIps(string version, string expected) =>
        Assert.Equal(expected, Write(new CniResult([], [], CniDns.Empty), version));

    [Fact]
    public void WriteResult_V02RouteWithoutCidr_Throws()
    {
        var ex = Assert.Throws<CniException>(() => Write(Minimal with { Routes = [new CniRoute("default")] }, "0.2.0"));

        Assert.Equal(CniErrorCodes.Internal, ex.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.1")]
    [InlineData("0.5.0")]
    [InlineData("2.0.0")]
    public void WriteResult_UnsupportedVersion_Throws(string version) =>
        Assert.Throws<ArgumentException>(() => Write(Minimal, version));

    [Fact]
    public void WriteVersion_ListsEverySupportedVersion()
    {
        var buffer = new ArrayBufferWriter<byte>();

        CniResultWriter.WriteVersion(buffer, "1.1.0");

        Assert.Equal(
            """{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}""",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(null, """{"cniVersion":"0.4.0","code":7,"msg":"missing \"name\""}""")]
    [InlineData("", """{"cniVersion":"0.4.0","code":7,"msg":"missing \"name\""}""")]
    [InlineData("d <&>", """{"cniVersion":"0.4.0","code":7,"msg":"missing \"name\"","details":"d <&>"}""")]
    public void WriteError_OmitsEmptyDetails(string? details, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();

        CniResultWriter.WriteError(buffer, new CniError(7, "missing \"name\"", details), "0.4.0");

        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public async Task WriteResultAsync_Stream_WritesSameBytes()
    {
        using var stream = new MemoryStream();

        await CniResultWriter.WriteResultAsync(stream, DualStack, "0.4.0", TestContext.Current.CancellationToken);

        Assert.Equal(Write(DualStack, "0.4.0"), Encoding.UTF8.GetString(stream.ToArray()));
    }
}
