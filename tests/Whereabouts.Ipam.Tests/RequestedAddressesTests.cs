namespace Whereabouts.Ipam.Tests;

public sealed class RequestedAddressesTests
{
    private static readonly Core.Config.IpamConfig Config = Configs.Of("10.0.0.0/24", "10.1.0.0/24", "fd00::/64");

    [Theory]
    // requested (comma-separated), expected per range ("-" for none)
    [InlineData("", "-,-,-")]
    [InlineData("10.1.0.9", "-,10.1.0.9,-")]
    [InlineData("fd00::9,10.0.0.3", "10.0.0.3,-,fd00::9")]
    [InlineData("10.0.0.3,10.0.0.3", "10.0.0.3,-,-")]
    [InlineData("10.0.0.0", "10.0.0.0,-,-")]
    public void ForRanges_EachAddressInsideARange_LandsInThatRange(string requested, string expected)
    {
        var result = RequestedAddresses.ForRanges(Config.Ranges, Parse(requested));

        Assert.Equal(expected.Split(','), result.Select(ip => ip?.ToString() ?? "-"));
    }

    [Theory]
    [InlineData("10.2.0.1", "outside every configured range")]
    [InlineData("fd01::1", "outside every configured range")]
    [InlineData("10.0.0.3,10.0.0.4", "more than one address requested in range 10.0.0.0/24")]
    public void ForRanges_AddressOutsideOrSecondInARange_ThrowsAConfigurationError(string requested, string message)
    {
        var error = Assert.Throws<InvalidIpamConfigException>(() => RequestedAddresses.ForRanges(Config.Ranges, Parse(requested)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static List<Ip> Parse(string list) => [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Ip.Parse)];
}
