using Whereabouts.Cni.Tests.Support;
using static Whereabouts.Cni.Tests.Support.Results;

namespace Whereabouts.Cni.Tests;

public sealed class CniDispatcherRequestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<CniOutcome> RunAsync(CniCommand command, string version, string extraMembers) =>
        CniInvocation.For(command.ToString().ToUpperInvariant(), CniInvocation.Config(version, extraMembers)).RunAsync(Ct);

    public static TheoryData<string, CniAttachment[]> AttachmentCases => new()
    {
        { "", [] },
        { ""","cni.dev/valid-attachments":null""", [] },
        { ""","cni.dev/valid-attachments":null,"cni.dev/attachments":null""", [] },
        { ""","cni.dev/valid-attachments":[]""", [] },
        {
            ""","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"net1"},{"containerID":"c2","ifname":"net2"}]""",
            [new("c1", "net1"), new("c2", "net2")]
        },

        // The spec-v1.1.0 key alone.
        { ""","cni.dev/attachments":[{"containerID":"c1","ifname":"net1"}]""", [new("c1", "net1")] },

        // libcni sends both keys with the same value: no duplicates.
        {
            ""","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"net1"}],"cni.dev/attachments":[{"containerID":"c1","ifname":"net1"}]""",
            [new("c1", "net1")]
        },

        // Different content under each key: the union.
        {
            ""","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"net1"}],"cni.dev/attachments":[{"containerID":"c2","ifname":"net1"}]""",
            [new("c1", "net1"), new("c2", "net1")]
        },
        { ""","cni.dev/valid-attachments":null,"cni.dev/attachments":[{"containerID":"c3","ifname":"eth0"}]""", [new("c3", "eth0")] },

        // Missing members are empty strings, as Go's zero values.
        { ""","cni.dev/valid-attachments":[{"containerID":"c1"}]""", [new("c1", "")] },
    };

    [Theory]
    [MemberData(nameof(AttachmentCases))]
    public async Task RunAsync_Gc_ValidAttachmentsFromBothKeys(string extraMembers, CniAttachment[] expected)
    {
        var outcome = await RunAsync(CniCommand.Gc, "1.1.0", extraMembers);

        outcome.AssertSilentSuccess();
        Assert.Equal(expected, outcome.Request.ValidAttachments);
    }

    [Theory]
    [InlineData(""","cni.dev/valid-attachments":"c1" """, "cni.dev/valid-attachments must be an array")]
    [InlineData(""","cni.dev/attachments":["c1"]""", "cni.dev/attachments[0] must be an object")]
    [InlineData(""","cni.dev/valid-attachments":[{"containerID":1}]""", "cni.dev/valid-attachments[0].containerID must be a string")]
    public async Task RunAsync_GcMalformedAttachments_DecodingFailure(string extraMembers, string messagePart)
    {
        var outcome = await RunAsync(CniCommand.Gc, "1.1.0", extraMembers);

        var error = outcome.AssertErrorCode(6, "error unmarshall network config: ");
        Assert.Contains(messagePart, error.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Empty(outcome.Requests);
    }

    [Fact]
    public async Task RunAsync_NonGcVerb_IgnoresAttachments()
    {
        var outcome = await RunAsync(CniCommand.Del, "1.1.0", ""","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"n"}]""");

        Assert.Empty(outcome.Request.ValidAttachments);
    }

    [Theory]
    [InlineData("", new string[0], new string[0])]
    [InlineData(""","runtimeConfig":null,"args":null""", new string[0], new string[0])]
    [InlineData(""","runtimeConfig":{"ips":["10.0.0.9/24","2001:db8::9/64"]}""", new[] { "10.0.0.9/24", "2001:db8::9/64" }, new string[0])]
    [InlineData(""","runtimeConfig":{"portMappings":[]}""", new string[0], new string[0])]
    [InlineData(""","args":{"cni":{"ips":["10.0.0.7"]}}""", new string[0], new[] { "10.0.0.7" })]
    [InlineData(""","args":{"other":{"ips":["10.0.0.7"]}}""", new string[0], new string[0])]
    [InlineData(""","args":{"cni":{"ips":["10.0.0.7"]}},"runtimeConfig":{"ips":["10.0.0.8"]}""", new[] { "10.0.0.8" }, new[] { "10.0.0.7" })]
    public async Task RunAsync_RequestedIps_FromRuntimeConfigAndArgs(string extraMembers, string[] runtimeIps, string[] argsIps)
    {
        var outcome = await RunAsync(CniCommand.Add, "1.0.0", extraMembers);

        Assert.Equal(runtimeIps, outcome.Request.RuntimeConfigIps);
        Assert.Equal(argsIps, outcome.Request.ArgsCniIps);
    }

    [Theory]
    [InlineData(""","runtimeConfig":{"ips":"10.0.0.9"}""", "runtimeConfig.ips must be an array")]
    [InlineData(""","runtimeConfig":{"ips":[1]}""", "runtimeConfig.ips[0] must be a string")]
    [InlineData(""","runtimeConfig":[]""", "runtimeConfig must be an object")]
    [InlineData(""","args":{"cni":{"ips":{}}}""", "args.cni.ips must be an array")]
    [InlineData(""","args":{"cni":"x"}""", "args.cni must be an object")]
    public async Task RunAsync_MalformedRequestedIps_DecodingFailure(string extraMembers, string messagePart)
    {
        var outcome = await RunAsync(CniCommand.Add, "1.0.0", extraMembers);

        var error = outcome.AssertErrorCode(6, "error unmarshall network config: ");
        Assert.Contains(messagePart, error.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.1.0", """{"cniVersion":"1.1.0","interfaces":[{"name":"net1","sandbox":"/x"}],"ips":[{"interface":0,"address":"10.1.2.2/24","gateway":"10.1.2.1"},{"interface":0,"address":"2001:db8:1::2/64","gateway":"2001:db8:1::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"},{"dst":"::/0","gw":"2001:db8:1::1"}],"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""")]
    [InlineData("0.4.0", """{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.1.2.2/24","gateway":"10.1.2.1"},{"version":"6","address":"2001:db8:1::2/64","gateway":"2001:db8:1::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"},{"dst":"::/0","gw":"2001:db8:1::1"}],"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""")]
    // A prevResult in the legacy shape under a newer config is still read.
    [InlineData("1.0.0", """{"cniVersion":"0.2.0","ip4":{"ip":"10.1.2.2/24","gateway":"10.1.2.1","routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"1.1.1.1"}]},"ip6":{"ip":"2001:db8:1::2/64","gateway":"2001:db8:1::1","routes":[{"dst":"::/0","gw":"2001:db8:1::1"}]},"dns":{"nameservers":["192.0.2.3"],"domain":"x","search":["a"],"options":["o"]}}""")]
    public async Task RunAsync_PrevResult_ParsedForCheckAndDel(string version, string prevResult)
    {
        foreach (var command in (CniCommand[])[CniCommand.Check, CniCommand.Del])
        {
            var outcome = await RunAsync(command, version, $",\"prevResult\":{prevResult}");

            outcome.AssertSilentSuccess();
            Assert.Equal(DualStack, outcome.Request.PrevResult);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(""","prevResult":null""")]
    public async Task RunAsync_NoPrevResult_Null(string extraMembers)
    {
        var outcome = await RunAsync(CniCommand.Del, "1.0.0", extraMembers);

        Assert.Null(outcome.Request.PrevResult);
    }

    [Fact]
    public async Task RunAsync_EmptyPrevResult_EmptyResult()
    {
        var outcome = await RunAsync(CniCommand.Del, "1.0.0", ""","prevResult":{}""");

        Assert.Equal(new CniResult([], [], CniDns.Empty), outcome.Request.PrevResult);
    }

    [Theory]
    [InlineData(""","prevResult":[]""", "could not parse prevResult: prevResult must be an object, not an array")]
    [InlineData(""","prevResult":{"ips":[{"address":"10.0.0.5"}]}""", "could not parse prevResult: prevResult.ips[0].address is not an address in CIDR form: \"10.0.0.5\"")]
    public async Task RunAsync_MalformedPrevResult_CheckFailsDelProceeds(string extraMembers, string message)
    {
        var check = await RunAsync(CniCommand.Check, "1.0.0", extraMembers);
        var del = await RunAsync(CniCommand.Del, "1.0.0", extraMembers);

        check.AssertError(6, message, cniVersion: "1.0.0");
        Assert.Empty(check.Requests);
        del.AssertSilentSuccess();
        Assert.Null(del.Request.PrevResult);
    }
}
