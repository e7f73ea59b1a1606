using Whereabouts.Controller.Cli;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Tests.Cli;

/// <summary>The flags of <c>ipam show|check|release</c> and how they bind.</summary>
public sealed class IpamCommandLineTests
{
    [Fact]
    public async Task Show_EveryFlag_Binds()
    {
        var harness = new VerbHarness();

        var run = await harness.InvokeAsync("ipam", "show", "--kubeconfig", "/k", "--namespace", "whereabouts", "--network", "blue", "--ips", "-o", "json", "--log-level", "debug");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(new IpamShowOptions(new IpamCommandOptions("/k", "whereabouts", true, "blue", LogLevelSetting.Debug), true), harness.Ipam);
    }

    [Fact]
    public async Task Check_Defaults_TextAllNamespacesOrTheEnvironmentsNamespace()
    {
        var harness = new VerbHarness();
        await harness.InvokeAsync("ipam", "check");
        Assert.Equal(new IpamCommandOptions(null, null, false, null, LogLevelSetting.Error), harness.Ipam);

        var withVariable = new VerbHarness().With("WHEREABOUTS_NAMESPACE", "ns1");
        await withVariable.InvokeAsync("ipam", "check", "--output=text");
        Assert.Equal("ns1", ((IpamCommandOptions)withVariable.Ipam!).Namespace);
    }

    [Fact]
    public async Task Release_IpAndForce_Bind()
    {
        var harness = new VerbHarness();

        await harness.InvokeAsync("ipam", "release", "--ip", "fd00::7", "--force", "--network", "red");

        Assert.Equal(new IpamReleaseOptions(new IpamCommandOptions(null, null, false, "red", LogLevelSetting.Error), Ip.Parse("fd00::7"), true), harness.Ipam);
    }

    [Theory]
    [InlineData("--ip: '10.0.0.300' is not an IP address", "release", "--ip", "10.0.0.300")]
    [InlineData("'--ip' is required", "release", "--force")]
    [InlineData("--output: 'yaml' is not one of text, json", "show", "-o", "yaml")]
    [InlineData("--namespace: 'Bad_Name' is not a namespace name", "check", "--namespace", "Bad_Name")]
    public async Task BadFlags_ExitUsageWithOneLine(string message, params string[] args)
    {
        var harness = new VerbHarness();

        var run = await harness.InvokeAsync(["ipam", .. args]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Null(harness.Ipam);
    }
}
