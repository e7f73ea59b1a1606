using Whereabouts.Core.Config;
using Whereabouts.Core.Tests.Support;

namespace Whereabouts.Core.Tests.Config;

/// <summary><c>agent_socket</c>: read inline or from the flat file (inline wins), and it makes the kubeconfig optional.</summary>
public sealed class AgentSocketConfigTests
{
    private const string Range = "\"range\": \"10.0.0.0/24\"";
    private static readonly IpamConfigReadOptions RequireDatastore = new() { RequireDatastore = true };

    [Fact]
    public void Read_AgentSocketInline_Applied()
    {
        var config = Configs.Valid(Range + ", \"agent_socket\": \"/run/whereabouts/agent.sock\"");

        Assert.Equal("/run/whereabouts/agent.sock", config.AgentSocket);
    }

    [Fact]
    public void Read_NoAgentSocket_Null()
    {
        Assert.Null(Configs.Valid(Range).AgentSocket);
    }

    [Theory]
    [InlineData(null, "/flat.sock", "/flat.sock")]
    [InlineData("/inline.sock", "/flat.sock", "/inline.sock")]
    public void Read_AgentSocketInFlatFile_InlineWins(string? inline, string flat, string expected)
    {
        var path = IpamConfigReader.DefaultFlatFilePaths[0];
        var files = new FakeFlatFiles().With(path, $$"""{"agent_socket": "{{flat}}"}""");
        var fragment = inline is null ? Range : $"{Range}, \"agent_socket\": \"{inline}\"";

        var result = Configs.ReadIpam(fragment, Configs.RangesOnly with { FlatFiles = files.Lookup });

        Assert.Equal(expected, result.Config!.AgentSocket);
    }

    [Fact]
    public void Read_KubernetesDatastoreWithAgentSocketButNoKubeconfig_Accepted()
    {
        var result = Configs.ReadIpam(Range + ", \"agent_socket\": \"/run/whereabouts/agent.sock\"", RequireDatastore);

        Assert.True(result.Config is not null, result.ErrorSummary);
    }

    [Fact]
    public void Read_KubernetesDatastoreWithoutAgentSocketOrKubeconfig_Rejected()
    {
        var result = Configs.ReadIpam(Range, RequireDatastore);

        Assert.Equal("kubernetes.kubeconfig", Configs.SingleError(result).Key);
    }

    [Fact]
    public void Read_AgentSocketNotAString_Rejected()
    {
        var result = Configs.ReadIpam(Range + ", \"agent_socket\": 1");

        Assert.Equal("agent_socket", Configs.SingleError(result).Key);
    }
}
