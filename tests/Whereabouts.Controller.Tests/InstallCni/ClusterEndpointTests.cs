using Whereabouts.Controller.InstallCni;

namespace Whereabouts.Controller.Tests.InstallCni;

public sealed class ClusterEndpointTests
{
    [Theory]
    [InlineData("10.96.0.1", "443", null, "https://10.96.0.1:443")]
    [InlineData("fd00:10:96::1", "443", null, "https://[fd00:10:96::1]:443")]
    [InlineData("[fd00::1]", "6443", null, "https://[fd00::1]:6443")]
    [InlineData("::ffff:10.0.0.1", "443", null, "https://[::ffff:10.0.0.1]:443")]
    [InlineData("api.example.internal", "8443", "", "https://api.example.internal:8443")]
    [InlineData(" 10.96.0.1 ", " 443 ", "http", "http://10.96.0.1:443")]
    public void ServerFromEnvironment_ServiceVariables_ServerUrl(string host, string port, string? protocol, string expected)
    {
        var environment = new Dictionary<string, string?>
        {
            ["KUBERNETES_SERVICE_HOST"] = host,
            ["KUBERNETES_SERVICE_PORT"] = port,
            ["KUBERNETES_SERVICE_PROTOCOL"] = protocol,
        };

        Assert.Equal(expected, ClusterEndpoint.ServerFromEnvironment(name => environment.GetValueOrDefault(name)));
    }

    [Theory]
    [InlineData(null, "443")]
    [InlineData("10.96.0.1", null)]
    [InlineData("", "443")]
    [InlineData("10.96.0.1", " ")]
    public void ServerFromEnvironment_HostOrPortMissing_NotInCluster(string? host, string? port)
    {
        var environment = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = host, ["KUBERNETES_SERVICE_PORT"] = port };

        Assert.Throws<NotInClusterException>(() => ClusterEndpoint.ServerFromEnvironment(name => environment.GetValueOrDefault(name)));
    }

    [Theory]
    [InlineData("10.96.0.1", "0", null)]
    [InlineData("10.96.0.1", "-1", null)]
    [InlineData("10.96.0.1", "443x", null)]
    [InlineData("10.96.0.1", "443", "HTTPS ")]
    [InlineData("user@10.96.0.1", "443", null)]
    [InlineData("10.96.0.1 evil", "443", null)]
    public void ServerFromEnvironment_UnusableValue_FormatException(string host, string port, string? protocol)
    {
        var environment = new Dictionary<string, string?>
        {
            ["KUBERNETES_SERVICE_HOST"] = host,
            ["KUBERNETES_SERVICE_PORT"] = port,
            ["KUBERNETES_SERVICE_PROTOCOL"] = protocol,
        };

        Assert.Throws<FormatException>(() => ClusterEndpoint.ServerFromEnvironment(name => environment.GetValueOrDefault(name)));
    }
}
