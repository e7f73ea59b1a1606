using System.Runtime.InteropServices;

namespace Whereabouts.Plugin.Tests;

public sealed class PluginHostTests
{
    [Theory]
    [InlineData(Architecture.X64, "whereabouts 1.2.3 linux/x64")]
    [InlineData(Architecture.Arm64, "whereabouts 1.2.3 linux/arm64")]
    public void About_NamesThePlatformAsTheRuntimeIdentifierDoes(Architecture architecture, string expected) =>
        Assert.Equal(expected, PluginHost.About("1.2.3", architecture));
}
