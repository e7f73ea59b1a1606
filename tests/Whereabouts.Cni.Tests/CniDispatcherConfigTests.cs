using Whereabouts.Cni.Tests.Support;

namespace Whereabouts.Cni.Tests;

public sealed class CniDispatcherConfigTests
{
    private static readonly string[] Verbs = ["ADD", "DEL", "CHECK", "GC", "STATUS"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("""{"cniVersion":"1.1.0","name":"n",}""")]
    [InlineData("""{"cniVersion":"1.1.0","name":"n"} {}""")]
    [InlineData("""{"cniVersion":"1.1.0",/*c*/"name":"n"}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"1.1.0\"")]
    public async Task RunAsync_MalformedJson_DecodingFailure(string stdin)
    {
        foreach (var verb in Verbs)
        {
            var outcome = await CniInvocation.For(verb, stdin).RunAsync(Ct);

            outcome.AssertErrorCode(6, "error unmarshall network config: ");
            Assert.Empty(outcome.Requests);
        }
    }

    [Theory]
    [InlineData("1.1", "a number")]
    [InlineData("true", "a boolean")]
    [InlineData("[\"1.1.0\"]", "an array")]
    [InlineData("{}", "an object")]
    public async Task RunAsync_NonStringVersion_DecodingFailure(string versionJson, string kind)
    {
        foreach (var verb in Verbs)
        {
            var outcome = await CniInvocation.For(verb, $$"""{"cniVersion":{{versionJson}},"name":"n"}""").RunAsync(Ct);

            outcome.AssertError(6, $"decoding version from network config: cniVersion must be a string, not {kind}");
        }
    }

    [Theory]
    [InlineData("0.5.0")]
    [InlineData("1.1")]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("banana")]
    [InlineData("0.3.1 ")]
    public async Task RunAsync_UnsupportedVersion_IncompatibleForAddAndDel(string version)
    {
        foreach (var verb in (string[])["ADD", "DEL"])
        {
            var outcome = await CniInvocation.For(verb, CniInvocation.Config(version)).RunAsync(Ct);

            outcome.AssertError(
                1,
                "incompatible CNI versions",
                $"config is \"{version}\", plugin supports [\"0.1.0\" \"0.2.0\" \"0.3.0\" \"0.3.1\" \"0.4.0\" \"1.0.0\" \"1.1.0\"]");
            Assert.Empty(outcome.Requests);
        }
    }

    // The Go skel checks the verb's minimum (and the plugin's maximum) semantically before the exact match.
    [Theory]
    [InlineData("CHECK", "0.3.5", "config version does not allow CHECK")]
    [InlineData("CHECK", "2.0.0", "plugin version does not allow CHECK")]
    [InlineData("GC", "1.0.9", "config version does not allow GC")]
    [InlineData("GC", "1.2.0", "plugin version does not allow GC")]
    [InlineData("STATUS", "1.1.1", "plugin version does not allow STATUS")]
    [InlineData("STATUS", "0.9", "config version does not allow STATUS")]
    public async Task RunAsync_UnsupportedVersionOnGatedVerb_ExplainsGate(string verb, string version, string message)
    {
        var outcome = await CniInvocation.For(verb, CniInvocation.Config(version)).RunAsync(Ct);

        outcome.AssertError(1, message);
    }

    [Theory]
    [InlineData("CHECK", "banana")]
    [InlineData("GC", "1.1")]
    public async Task RunAsync_GatedVerbPassingGateButNotExact_Incompatible(string verb, string version)
    {
        var outcome = await CniInvocation.For(verb, CniInvocation.Config(version)).RunAsync(Ct);

        outcome.AssertErrorCode(1, "incompatible CNI versions");
    }

    [Theory]
    [InlineData("""{"name":"n"}""")]
    [InlineData("""{"cniVersion":"","name":"n"}""")]
    [InlineData("""{"cniVersion":null,"name":"n"}""")]
    public async Task RunAsync_MissingVersion_Means010(string stdin)
    {
        var add = await CniInvocation.For("ADD", stdin).RunAsync(Ct);
        var check = await CniInvocation.For("CHECK", stdin).RunAsync(Ct);

        Assert.Equal("""{"cniVersion":"0.1.0","ip4":{"ip":"10.0.0.5/24","gateway":"10.0.0.1"},"dns":{}}""", add.SingleDocument());
        Assert.Equal("0.1.0", add.Request.CniVersion);
        check.AssertError(1, "config version does not allow CHECK", cniVersion: "0.1.0");
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.1.0"}""")]
    [InlineData("""{"cniVersion":"1.1.0","name":""}""")]
    [InlineData("""{"cniVersion":"1.1.0","name":null}""")]
    [InlineData("""{"cniVersion":"1.1.0","Name":"n"}""")]
    public async Task RunAsync_MissingName_InvalidNetworkConfig(string stdin)
    {
        foreach (var verb in Verbs)
        {
            var outcome = await CniInvocation.For(verb, stdin).RunAsync(Ct);

            outcome.AssertError(7, "missing network name");
            Assert.Empty(outcome.Requests);
        }
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("-net")]
    [InlineData(".net")]
    [InlineData("net/a")]
    [InlineData("net\n")]
    [InlineData("nét")]
    public async Task RunAsync_InvalidName_InvalidNetworkConfig(string name)
    {
        foreach (var verb in Verbs)
        {
            var stdin = $$"""{"cniVersion":"1.1.0","name":{{System.Text.Json.JsonSerializer.Serialize(name, Support.TestJson.Default.String)}}}""";

            var outcome = await CniInvocation.For(verb, stdin).RunAsync(Ct);

            outcome.AssertError(7, "invalid characters found in network name", name);
        }
    }

    [Fact]
    public async Task RunAsync_NonStringName_DecodingFailure()
    {
        var outcome = await CniInvocation.For("ADD", """{"cniVersion":"1.1.0","name":5}""").RunAsync(Ct);

        outcome.AssertError(6, "error unmarshall network config: name must be a string, not a number");
    }

    [Fact]
    public async Task RunAsync_BadNameAndBadVersion_NameReportedFirst()
    {
        var outcome = await CniInvocation.For("ADD", """{"cniVersion":"9.9.9"}""").RunAsync(Ct);

        outcome.AssertError(7, "missing network name");
    }

    [Fact]
    public async Task RunAsync_RepeatedKey_LastWins()
    {
        var outcome = await CniInvocation.For("ADD", """{"cniVersion":"0.1.0","name":"n","cniVersion":"1.0.0"}""").RunAsync(Ct);

        Assert.Equal("1.0.0", outcome.Request.CniVersion);
    }

    [Fact]
    public async Task RunAsync_ErrorAfterVersionKnown_EchoesConfigVersion()
    {
        var invocation = CniInvocation.For(CniCommand.Del, "0.4.0");
        invocation.Plugin.Failure = (_, _) => new CniException(3, "gone");

        var outcome = await invocation.RunAsync(Ct);

        outcome.AssertError(3, "gone", cniVersion: "0.4.0");
    }

    [Fact]
    public async Task RunAsync_UnreadableStdin_IoFailure()
    {
        var invocation = CniInvocation.For("ADD");
        invocation.StdinStream = new FailingStream();

        var outcome = await invocation.RunAsync(Ct);

        outcome.AssertError(5, "error reading from stdin: stdin is broken");
    }

    [Fact]
    public async Task RunAsync_Config_PassedThroughUntouched()
    {
        var stdin = "{ \"cniVersion\" : \"1.0.0\",\n  \"name\": \"net-a\", \"ipam\": {\"type\":\"whereabouts\", \"x\": [1, 2]} }\n";

        var outcome = await CniInvocation.For("ADD", stdin).RunAsync(Ct);

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(stdin), outcome.Request.Config.ToArray());
        Assert.Equal("net-a", outcome.Request.NetworkName);
        Assert.Equal("1.0.0", outcome.Request.CniVersion);
    }
}
