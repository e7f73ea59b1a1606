namespace Whereabouts.Cni.Tests;

public sealed class CniVersionsTests
{
    [Fact]
    public void Supported_IsEveryReleasedSpecVersion()
    {
        Assert.Equal(["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], CniVersions.Supported);
        Assert.Equal("1.1.0", CniVersions.Latest);
        Assert.Equal("0.1.0", CniVersions.Default);
    }

    [Theory]
    [InlineData("0.1.0", true)]
    [InlineData("1.1.0", true)]
    [InlineData("1.1", false)]
    [InlineData("1.1.0 ", false)]
    [InlineData("v1.1.0", false)]
    [InlineData("0.5.0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsSupported_ExactMatchOnly(string? version, bool expected) =>
        Assert.Equal(expected, CniVersions.IsSupported(version));

    [Theory]
    [InlineData("1.1.0", 1, 1, 0)]
    [InlineData("1.1", 1, 1, 0)]
    [InlineData("2", 2, 0, 0)]
    [InlineData("0.10.3", 0, 10, 3)]
    [InlineData("", 0, 1, 0)]
    [InlineData(null, 0, 1, 0)]
    public void TryParse_Numeric_ParsesSemantically(string? version, int major, int minor, int patch)
    {
        Assert.True(CniVersions.TryParse(version, out var parsed));
        Assert.Equal(new Version(major, minor, patch), parsed);
    }

    [Theory]
    [InlineData("1.1.0.0")]
    [InlineData("1..0")]
    [InlineData("a.b.c")]
    [InlineData("1.1.0-rc1")]
    [InlineData("-1.0.0")]
    [InlineData("+1.0.0")]
    [InlineData(" 1.0.0")]
    [InlineData("1.0.")]
    public void TryParse_Malformed_ReturnsFalse(string version) => Assert.False(CniVersions.TryParse(version, out _));

    // One row per supported version: CHECK, GC/STATUS, multiple IPs per family, ips[].version.
    [Theory]
    [InlineData("0.1.0", false, false, false, false)]
    [InlineData("0.2.0", false, false, false, false)]
    [InlineData("0.3.0", false, false, true, true)]
    [InlineData("0.3.1", false, false, true, true)]
    [InlineData("0.4.0", true, false, true, true)]
    [InlineData("1.0.0", true, false, true, false)]
    [InlineData("1.1.0", true, true, true, false)]
    [InlineData("0.10.0", true, false, true, true)]
    [InlineData("1.2.0", true, true, true, false)]
    [InlineData("", false, false, false, false)]
    [InlineData("garbage", false, false, false, false)]
    public void Helpers_CompareSemantically(string version, bool check, bool gcAndStatus, bool multipleIps, bool ipVersionField)
    {
        Assert.Equal(check, CniVersions.AllowsCheck(version));
        Assert.Equal(gcAndStatus, CniVersions.AllowsGcAndStatus(version));
        Assert.Equal(multipleIps, CniVersions.SupportsMultipleIpsPerFamily(version));
        Assert.Equal(ipVersionField, CniVersions.HasIpVersionField(version));
    }

    [Theory]
    [InlineData("0.4.0", "0.4.0", true)]
    [InlineData("0.10.0", "0.4.0", true)]
    [InlineData("0.3.1", "0.4.0", false)]
    [InlineData("x", "0.1.0", false)]
    public void IsAtLeast_ComparesParts_NotStrings(string version, string minimum, bool expected) =>
        Assert.Equal(expected, CniVersions.IsAtLeast(version, minimum));
}
