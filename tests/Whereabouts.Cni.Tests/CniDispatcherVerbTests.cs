using Whereabouts.Cni.Tests.Support;
using static Whereabouts.Cni.Tests.Support.Results;

namespace Whereabouts.Cni.Tests;

public sealed class CniDispatcherVerbTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every verb the plugin sees × every supported version, with the minimum version that allows it.</summary>
    public static TheoryData<CniCommand, string> VerbsAndVersions()
    {
        var data = new TheoryData<CniCommand, string>();
        foreach (var command in (CniCommand[])[CniCommand.Add, CniCommand.Del, CniCommand.Check, CniCommand.Gc, CniCommand.Status])
        {
            foreach (var version in CniVersions.Supported)
            {
                data.Add(command, version);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VerbsAndVersions))]
    public async Task RunAsync_EveryVerbAndVersion_GatedOrDispatched(CniCommand command, string version)
    {
        var minimum = command switch
        {
            CniCommand.Check => "0.4.0",
            CniCommand.Gc or CniCommand.Status => "1.1.0",
            _ => "0.1.0",
        };
        var allowed = CniVersions.IsAtLeast(version, minimum);

        var outcome = await CniInvocation.For(command, version).RunAsync(Ct);

        if (!allowed)
        {
            outcome.AssertError(1, $"config version does not allow {command.ToString().ToUpperInvariant()}", cniVersion: version);
            Assert.Empty(outcome.Requests);
            return;
        }

        var request = outcome.Request;
        Assert.Equal(command, request.Command);
        Assert.Equal(version, request.CniVersion);
        Assert.Equal("net-a", request.NetworkName);
        if (command == CniCommand.Add)
        {
            Assert.Equal(0, outcome.ExitCode);
            Assert.Equal(Write(FakeCniPlugin.DefaultResult, version), outcome.SingleDocument());
        }
        else
        {
            outcome.AssertSilentSuccess();
        }
    }

    // ADD output per version family, end to end (dual stack, routes and DNS present).
    [Theory]
    [InlineData("1.1.0", """{"cniVersion":"1.1.0","ips":[{"address":"10.1.2.2/24","gateway":"10.1.2.1"},{"address":"2001:db8:1::2/64","gateway":"2001:db8:1::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"},{"dst":"::/0","gw":"2001:db8:1::1"}],"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""")]
    [InlineData("0.3.1", """{"cniVersion":"0.3.1","ips":[{"version":"4","address":"10.1.2.2/24","gateway":"10.1.2.1"},{"version":"6","address":"2001:db8:1::2/64","gateway":"2001:db8:1::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"},{"dst":"::/0","gw":"2001:db8:1::1"}],"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""")]
    [InlineData("0.2.0", """{"cniVersion":"0.2.0","ip4":{"ip":"10.1.2.2/24","gateway":"10.1.2.1","routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"}]},"ip6":{"ip":"2001:db8:1::2/64","gateway":"2001:db8:1::1","routes":[{"dst":"::/0","gw":"2001:db8:1::1"}]},"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""")]
    public async Task RunAsync_AddDualStack_WritesConfigVersionShape(string version, string expected)
    {
        var invocation = CniInvocation.For(CniCommand.Add, version);
        invocation.Plugin.AddResult = DualStack;

        var outcome = await invocation.RunAsync(Ct);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(expected, outcome.SingleDocument());
        Assert.Equal("", outcome.Stderr);
    }

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("0.2.0")]
    public async Task RunAsync_AddWithoutAddressesInLegacyVersion_ConversionError(string version)
    {
        var invocation = CniInvocation.For(CniCommand.Add, version);
        invocation.Plugin.AddResult = new CniResult([], [], CniDns.Empty);

        var outcome = await invocation.RunAsync(Ct);

        outcome.AssertError(999, "cannot convert: no valid IP addresses", cniVersion: version);
    }

    [Fact]
    public async Task RunAsync_AddReturningNull_InternalError()
    {
        var invocation = CniInvocation.For(CniCommand.Add, "1.0.0");
        invocation.Plugin.AddResult = null;

        var outcome = await invocation.RunAsync(Ct);

        outcome.AssertError(999, "the plugin returned no result", cniVersion: "1.0.0");
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.1.0"}""", "1.1.0")]
    [InlineData("""{"cniVersion":"0.4.0"}""", "0.4.0")]
    [InlineData("""{"cniVersion":"0.2.0"}""", "0.2.0")]
    [InlineData("""{"cniVersion":"1.2.0"}""", "1.2.0")]
    [InlineData("", "1.1.0")]
    [InlineData("{}", "1.1.0")]
    [InlineData("""{"cniVersion":""}""", "1.1.0")]
    [InlineData("""{"cniVersion":7}""", "1.1.0")]
    [InlineData("""{"cniVersion":"banana"}""", "1.1.0")]
    [InlineData("{ not json", "1.1.0")]
    [InlineData("[]", "1.1.0")]
    public async Task RunAsync_Version_EchoesParsableVersionElseLatest(string stdin, string expected)
    {
        // libcni's GetVersionInfo sends dummy values and an empty CNI_CONTAINERID; none of it may be rejected.
        var outcome = await CniInvocation.For("VERSION", stdin)
            .With("CNI_CONTAINERID", "")
            .With("CNI_NETNS", "dummy")
            .With("CNI_IFNAME", "dummy")
            .With("CNI_PATH", "dummy")
            .With("CNI_ARGS", "")
            .RunAsync(Ct);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(
            $$"""{"cniVersion":"{{expected}}","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}""",
            outcome.SingleDocument());
        Assert.Empty(outcome.Requests);
    }

    [Fact]
    public async Task RunAsync_VersionWithBrokenStdin_AnswersLatest()
    {
        var invocation = CniInvocation.For("VERSION");
        invocation.StdinStream = new FailingStream();

        var outcome = await invocation.RunAsync(Ct);

        Assert.Equal(0, outcome.ExitCode);
        Assert.StartsWith("""{"cniVersion":"1.1.0","supportedVersions":[""", outcome.SingleDocument(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_VersionWithoutName_NotValidated()
    {
        var outcome = await CniInvocation.For("VERSION", """{"cniVersion":"1.0.0","name":"bad name"}""").RunAsync(Ct);

        Assert.Equal(0, outcome.ExitCode);
    }

    [Fact]
    public async Task RunAsync_UnwritableStdout_ExitsWithErrorAndReportsOnStderr()
    {
        var invocation = CniInvocation.For("ADD");
        invocation.StdoutStream = new FailingStream();

        var outcome = await invocation.RunAsync(Ct);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("stdout is broken", outcome.Stderr, StringComparison.Ordinal);
    }
}
