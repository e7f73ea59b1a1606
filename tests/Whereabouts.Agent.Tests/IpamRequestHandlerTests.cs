using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Agent.Protocol;
using Whereabouts.Agent.Server;
using Whereabouts.Agent.Tests.Support;
using Whereabouts.Ipam.Errors;
using Whereabouts.Testing.Fakes;

namespace Whereabouts.Agent.Tests;

/// <summary>The agent's answers: the allocation engine's results, and its failures with the codes of direct mode.</summary>
public sealed class IpamRequestHandlerTests : IAsyncDisposable
{
    private const string TwoRanges = """
        {"cniVersion":"1.0.0","name":"n","type":"macvlan","ipam":{"type":"whereabouts",
         "ipRanges":[{"range":"10.0.0.0/24"},{"range":"fd00::/120"}],"kubernetes":{"kubeconfig":"/k"}}}
        """;

    private readonly FakeIpamStore _store = new();

    private IpamRequestHandler Handler => new(_store, NullLogger.Instance, TimeProvider.System);

    [Fact]
    public async Task Add_TwoRanges_AddressesWithTheirRangeIndexes_DelReleasesThem()
    {
        var add = await Handler.HandleAsync(Requests.Add() with { NetworkConfig = TwoRanges }, TestContext.Current.CancellationToken);

        Assert.Null(add.Error);
        Assert.Equal([new AgentAddress(0, "10.0.0.1", null), new AgentAddress(1, "fd00::1", null)], add.Addresses);

        var del = await Handler.HandleAsync(Requests.Add() with { Verb = AgentVerb.Del, NetworkConfig = TwoRanges }, TestContext.Current.CancellationToken);

        Assert.Equal(2, del.Released);
    }

    /// <summary>In node-slice mode the engine allocates from the range narrowed to the node's slice; the answer still names the configured range.</summary>
    [Fact]
    public async Task Add_NodeSliceMode_AddressFromTheNodesSliceWithTheRangesIndex()
    {
        var slices = new FakeNodeSliceStore { NodeName = "node-b" };
        slices.Set("slicenet", "10.0.0.0/24", "/26", ("node-a", "10.0.0.0/26"), ("node-b", "10.0.0.64/26"));
        _store.NodeSlices = slices;
        const string config = """
            {"cniVersion":"1.0.0","name":"slicenet","type":"macvlan","ipam":{"type":"whereabouts","range":"10.0.0.0/24",
             "node_slice_size":"/26","kubernetes":{"kubeconfig":"/k"}}}
            """;

        var add = await Handler.HandleAsync(Requests.Add() with { NetworkConfig = config }, TestContext.Current.CancellationToken);

        Assert.Null(add.Error);
        Assert.Equal([new AgentAddress(0, "10.0.0.65", null)], add.Addresses);
    }

    [Fact]
    public async Task Add_RequestedAddressAndFlatFile_AppliedAsThePluginReadThem()
    {
        const string inline = """{"cniVersion":"1.0.0","name":"n","type":"macvlan","ipam":{"type":"whereabouts","configuration_path":"/etc/wb"}}""";
        var request = Requests.Add() with
        {
            NetworkConfig = inline,
            FlatFilePath = "/etc/wb",
            FlatFile = """{"range":"10.9.0.0/24","gateway":"10.9.0.1"}""",
            RequestedIps = ["10.9.0.77"],
        };

        var add = await Handler.HandleAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal([new AgentAddress(0, "10.9.0.77", "10.9.0.1")], add.Addresses);
    }

    [Fact]
    public async Task Add_StoreUnavailable_TryAgainLater()
    {
        _store.FaultPolicy = static _ => new StoreUnavailableException("API server down", isTransient: false);

        var add = await Handler.HandleAsync(Requests.Add(), TestContext.Current.CancellationToken);

        Assert.Equal(11, add.Error!.Code);
    }

    [Fact]
    public async Task Status_StoreUnreachable_PluginNotAvailable()
    {
        _store.FailNext(FakeOperation.CheckReachable, static () => new StoreUnavailableException("API server down"));

        var status = await Handler.HandleAsync(Requests.Add() with { Verb = AgentVerb.Status }, TestContext.Current.CancellationToken);

        Assert.Equal(50, status.Error!.Code);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"macvlan","ipam":{"type":"whereabouts"}}""", "no IP ranges")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"macvlan","ipam":{"type":"whereabouts","range":"10.0.0.0/24","datastore":"file"}}""", "Kubernetes datastore only")]
    public async Task Add_ConfigurationTheAgentCannotServe_InvalidNetworkConfig(string config, string message)
    {
        var add = await Handler.HandleAsync(Requests.Add() with { NetworkConfig = config }, TestContext.Current.CancellationToken);

        Assert.Equal(7, add.Error!.Code);
        Assert.Contains(message, add.Error.Msg + add.Error.Details, StringComparison.Ordinal);
        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task UnknownVerb_InvalidNetworkConfig()
    {
        var answer = await Handler.HandleAsync(Requests.Add() with { Verb = "VERSION" }, TestContext.Current.CancellationToken);

        Assert.Equal(7, answer.Error!.Code);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
