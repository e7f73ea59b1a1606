using static Whereabouts.Deploy.Tests.DefaultRenderTests;

namespace Whereabouts.Deploy.Tests;

/// <summary>Where the node controller's /metrics and /healthz listen (metrics.bindAddress), and how the probes reach it.</summary>
public sealed class MetricsEndpointRenderTests(DeployFixture fixture)
{
    [Fact]
    public void DefaultValues_BindToTheNodesOwnIpFromTheDownwardApi()
    {
        var controller = fixture.DefaultRender.DaemonSetPod["containers"]![0]!;

        Assert.Contains("--metrics-bind-address=$(NODE_IP)", Strings(controller["args"]));
        Assert.Equal("status.hostIP", (string?)Env(controller, "NODE_IP")["valueFrom"]!["fieldRef"]!["fieldPath"]);
        // On the host network the pod IP is the node's IP, so the probes' default host reaches it.
        Assert.All(new[] { "livenessProbe", "readinessProbe" }, probe => Assert.Null(controller[probe]!["httpGet"]!["host"]));
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("0.0.0.0", null)]
    public void ExplicitAddress_IsPassedAndTheProbesFollowIt(string address, string? probeHost)
    {
        var render = fixture.Helm.Render(RepositoryLayout.Chart, setValues: [$"metrics.bindAddress={address}"]);
        var controller = render.DaemonSetPod["containers"]![0]!;

        Assert.Contains($"--metrics-bind-address={address}", Strings(controller["args"]));
        Assert.DoesNotContain(controller["env"]!.AsArray(), e => (string?)e!["name"] == "NODE_IP");
        Assert.All(new[] { "livenessProbe", "readinessProbe" }, probe => Assert.Equal(probeHost, (string?)controller[probe]!["httpGet"]!["host"]));
        var result = ManifestValidator.Validate(render.Yaml);
        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Theory]
    [InlineData("metrics.bindAddress=localhost")]
    [InlineData("metrics.bindAddress=$(NODE_IP)")]
    [InlineData("metrics.serviceMonitor.interval=30")]
    [InlineData("metrics.serviceMonitor.enable=true")]
    [InlineData("metrics.grafanaDashboard.namespace=Monitoring")]
    [InlineData("createNamespace=yes")]
    public void InvalidValue_IsRejectedByTheValuesSchema(string setValue)
    {
        var result = fixture.Helm.Template(RepositoryLayout.Chart, setValues: [setValue]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(setValue.Split('=')[0].Split('.')[^1], result.StandardError, StringComparison.Ordinal);
    }
}
