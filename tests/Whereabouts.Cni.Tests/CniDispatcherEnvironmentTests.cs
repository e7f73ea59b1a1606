using Whereabouts.Cni.Tests.Support;

namespace Whereabouts.Cni.Tests;

public sealed class CniDispatcherEnvironmentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task RunAsync_NoCommand_PrintsAboutToStderr(string? command)
    {
        var outcome = await CniInvocation.For("ADD").With("CNI_COMMAND", command).RunAsync(Ct);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
        Assert.Equal(
            "whereabouts 0.1.0\nCNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n",
            outcome.Stderr.ReplaceLineEndings("\n"));
        Assert.Empty(outcome.Requests);
    }

    [Fact]
    public async Task RunAsync_NoCommandAndNoAbout_ReportsMissingCommand()
    {
        var dispatcher = new CniDispatcher(new FakeCniPlugin(), null, about: static () => "");
        using var stdout = new MemoryStream();

        var exit = await dispatcher.RunAsync(_ => null, Stream.Null, stdout, TextWriter.Null, Ct);

        Assert.Equal(1, exit);
        Assert.Equal(
            """{"cniVersion":"1.1.0","code":4,"msg":"required env variables [CNI_COMMAND] missing"}""" + "\n",
            System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Theory]
    [InlineData("NOPE")]
    [InlineData("add")]
    [InlineData("Version")]
    [InlineData(" ADD")]
    public async Task RunAsync_UnknownCommand_InvalidEnvironment(string command)
    {
        var outcome = await CniInvocation.For(command).RunAsync(Ct);

        outcome.AssertError(4, $"unknown CNI_COMMAND: {command}");
        Assert.Empty(outcome.Requests);
    }

    // The spec's table: CNI_PATH only for GC, CNI_NETNS optional on DEL. All missing names are reported together.
    [Theory]
    [InlineData("ADD", "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH", "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME")]
    [InlineData("ADD", "CNI_NETNS", "CNI_NETNS")]
    [InlineData("ADD", "CNI_CONTAINERID,CNI_IFNAME", "CNI_CONTAINERID,CNI_IFNAME")]
    [InlineData("CHECK", "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH", "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME")]
    [InlineData("CHECK", "CNI_IFNAME", "CNI_IFNAME")]
    [InlineData("DEL", "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH", "CNI_CONTAINERID,CNI_IFNAME")]
    [InlineData("DEL", "CNI_CONTAINERID", "CNI_CONTAINERID")]
    [InlineData("GC", "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH", "CNI_PATH")]
    public async Task RunAsync_MissingVariables_ReportedTogether(string command, string unset, string expectedMissing)
    {
        var invocation = CniInvocation.For(command);
        foreach (var name in unset.Split(','))
        {
            invocation.With(name, null);
        }

        var outcome = await invocation.RunAsync(Ct);

        outcome.AssertError(4, $"required env variables [{expectedMissing}] missing");
        Assert.Empty(outcome.Requests);
    }

    [Fact]
    public async Task RunAsync_EmptyRequiredVariable_CountsAsMissing()
    {
        var outcome = await CniInvocation.For("ADD").With("CNI_IFNAME", "").With("CNI_CONTAINERID", "").RunAsync(Ct);

        outcome.AssertError(4, "required env variables [CNI_CONTAINERID,CNI_IFNAME] missing");
    }

    [Theory]
    [InlineData("ADD", "CNI_PATH")]
    [InlineData("CHECK", "CNI_PATH")]
    [InlineData("DEL", "CNI_NETNS,CNI_PATH")]
    [InlineData("GC", "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME")]
    [InlineData("STATUS", "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH")]
    [InlineData("VERSION", "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH")]
    public async Task RunAsync_OptionalVariablesAbsent_Succeeds(string command, string unset)
    {
        var invocation = CniInvocation.For(command);
        foreach (var name in unset.Split(','))
        {
            invocation.With(name, null);
        }

        var outcome = await invocation.RunAsync(Ct);

        Assert.Equal(0, outcome.ExitCode);
    }

    [Theory]
    [InlineData("-abc")]
    [InlineData("_abc")]
    [InlineData(".abc")]
    [InlineData("abc/def")]
    [InlineData("abc def")]
    [InlineData("abc:def")]
    [InlineData("abc\n")]
    [InlineData("   dummy\n ")]
    [InlineData("äbc")]
    [InlineData("ab;c")]
    public async Task RunAsync_BadContainerId_InvalidEnvironment(string containerId)
    {
        foreach (var command in (string[])["ADD", "DEL", "CHECK"])
        {
            var outcome = await CniInvocation.For(command).With("CNI_CONTAINERID", containerId).RunAsync(Ct);

            outcome.AssertError(4, "invalid characters in containerID", containerId);
            Assert.Empty(outcome.Requests);
        }
    }

    [Theory]
    [InlineData(".", "interface name is . or ..", null)]
    [InlineData("..", "interface name is . or ..", null)]
    [InlineData("eth/0", "interface name contains / or : or whitespace characters", null)]
    [InlineData("eth:0", "interface name contains / or : or whitespace characters", null)]
    [InlineData("eth 0", "interface name contains / or : or whitespace characters", null)]
    [InlineData("eth\t0", "interface name contains / or : or whitespace characters", null)]
    [InlineData("eth0\n", "interface name contains / or : or whitespace characters", null)]
    [InlineData("eth\u00a00", "interface name contains / or : or whitespace characters", null)]
    [InlineData("abcdefghijklmnop", "interface name is too long", "interface name should be less than 16 characters")]
    [InlineData("ééééééééé", "interface name is too long", "interface name should be less than 16 characters")]
    public async Task RunAsync_BadInterfaceName_InvalidEnvironment(string ifName, string message, string? details)
    {
        foreach (var command in (string[])["ADD", "DEL", "CHECK"])
        {
            var outcome = await CniInvocation.For(command).With("CNI_IFNAME", ifName).RunAsync(Ct);

            outcome.AssertError(4, message, details);
            Assert.Empty(outcome.Requests);
        }
    }

    [Theory]
    [InlineData("CNI_CONTAINERID", "a")]
    [InlineData("CNI_CONTAINERID", "0")]
    [InlineData("CNI_CONTAINERID", "A1_b.c-d")]
    [InlineData("CNI_CONTAINERID", "cnitool-77383ca0a0715733ca6f")]
    [InlineData("CNI_CONTAINERID", "3f2504e04f8941d39a0c0305e82c3301aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("CNI_IFNAME", "abcdefghijklmno")]
    [InlineData("CNI_IFNAME", "net1")]
    [InlineData("CNI_IFNAME", "eth0.100")]
    [InlineData("CNI_IFNAME", "éééé")]
    [InlineData("CNI_IFNAME", "...")]
    public async Task RunAsync_GoodIdentity_Accepted(string variable, string value)
    {
        var outcome = await CniInvocation.For("ADD").With(variable, value).RunAsync(Ct);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(value, variable == "CNI_IFNAME" ? outcome.Request.IfName : outcome.Request.ContainerId);
    }

    [Fact]
    public void ValidateInterfaceName_Empty_InvalidEnvironment()
    {
        var ex = Assert.Throws<CniException>(() => CniNames.ValidateInterfaceName(""));

        Assert.Equal(new CniError(4, "interface name is empty"), ex.Error);
    }

    // Container ID and ifname are only validated when the verb requires them (libcni sends "" for GC/STATUS).
    [Theory]
    [InlineData("GC")]
    [InlineData("STATUS")]
    [InlineData("VERSION")]
    public async Task RunAsync_UnrequiredIdentityVariables_NotValidated(string command)
    {
        var outcome = await CniInvocation.For(command)
            .With("CNI_CONTAINERID", "bad id")
            .With("CNI_IFNAME", "bad/if")
            .With("CNI_ARGS", "not-a-pair")
            .RunAsync(Ct);

        Assert.Equal(0, outcome.ExitCode);
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("DEL")]
    [InlineData("CHECK")]
    public async Task RunAsync_BadCniArgs_InvalidEnvironment(string command)
    {
        var outcome = await CniInvocation.For(command).With("CNI_ARGS", "K8S_POD_NAME=p;").RunAsync(Ct);

        outcome.AssertError(4, "ARGS: invalid pair \"\"");
        Assert.Empty(outcome.Requests);
    }

    [Fact]
    public async Task RunAsync_K8sArgsWithoutIgnoreUnknown_InvalidEnvironment()
    {
        var outcome = await CniInvocation.For("ADD").With("CNI_ARGS", "K8S_POD_NAME=p;MAC=aa:bb").RunAsync(Ct);

        outcome.AssertError(4, "ARGS: unknown args [\"MAC=aa:bb\"]");
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("DEL")]
    [InlineData("CHECK")]
    public async Task RunAsync_CniArgs_ParsedIntoRequest(string command)
    {
        var outcome = await CniInvocation.For(command)
            .With("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p;K8S_POD_INFRA_CONTAINER_ID=sb;K8S_POD_UID=u;IP=10.0.0.9/24")
            .RunAsync(Ct);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(
            new CniArgs
            {
                IgnoreUnknown = true,
                K8sPodNamespace = "ns",
                K8sPodName = "p",
                K8sPodInfraContainerId = "sb",
                K8sPodUid = "u",
                Ip = ["10.0.0.9/24"],
            },
            outcome.Request.Args);
    }

    [Fact]
    public async Task RunAsync_Environment_CopiedIntoRequest()
    {
        var outcome = await CniInvocation.For("DEL").With("CNI_NETNS", null).With("CNI_PATH", "/a:/b").RunAsync(Ct);

        var request = outcome.Request;
        Assert.Equal(CniCommand.Del, request.Command);
        Assert.Equal("ctr-1", request.ContainerId);
        Assert.Equal("", request.NetNs);
        Assert.Equal("net1", request.IfName);
        Assert.Equal("/a:/b", request.CniPath);
        Assert.Same(CniArgs.Empty, request.Args);
    }
}
