using Whereabouts.Controller.NodeController;

namespace Whereabouts.Controller.Tests.NodeController;

public sealed class NetworkConfigResolverTests
{
    [Theory]
    [InlineData("/etc/cni/net.d/whereabouts.d/whereabouts.conf", "/host/etc/cni/net.d/whereabouts.d/whereabouts.conf")]
    [InlineData("/etc/cni/net.d/whereabouts.d", "/host/etc/cni/net.d/whereabouts.d")]
    [InlineData("/host/etc/cni/net.d/whereabouts.d/whereabouts.conf", "/host/etc/cni/net.d/whereabouts.d/whereabouts.conf")]
    [InlineData("/etc/kubernetes/cni/net.d/whereabouts.d/whereabouts.conf", null)]
    [InlineData("/etc/cni/net.dx/whereabouts.conf", null)]
    [InlineData("/etc/cni/net.d/../../passwd", null)]
    public void MapToMount_HostPath_SamePlaceBelowTheMountOrNothing(string hostPath, string? expected) =>
        Assert.Equal(expected, NetworkConfigResolver.MapToMount(hostPath, "/host/etc/cni/net.d", "/etc/cni/net.d"));
}
