using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;

namespace Whereabouts.LoadTest;

/// <summary>A range with exactly as many usable addresses as pods (Spiderpool's "IPs == pods" case), in the smallest subnet that holds them.</summary>
internal sealed record LoadRange(string Subnet, string Start, string End)
{
    /// <summary>In node-slice mode: the slice size, and the slices assigned to the nodes in order.</summary>
    public int? SliceSize { get; init; }

    public IReadOnlyList<string> Slices { get; init; } = [];

    private static readonly IPAddress Base = IPAddress.Parse("10.128.0.0");

    public static LoadRange For(int addresses)
    {
        // Room for the network and broadcast addresses, which are never handed out.
        var bits = (int)Math.Ceiling(Math.Log2(addresses + 2));
        var prefix = 32 - bits;
        var subnet = $"{Base}/{prefix}";
        return new LoadRange(subnet, Offset(1), Offset(addresses));
    }

    /// <summary>A /20 cut into slices of <paramref name="sliceSize"/> (the benchmark: /25 slices); the whole slice of each node is usable.</summary>
    public static LoadRange Sliced(int sliceSize)
    {
        var count = 1 << (sliceSize - 20);
        var step = 1 << (32 - sliceSize);
        return new LoadRange($"{Base}/20", Offset(1), Offset((1 << 12) - 2))
        {
            SliceSize = sliceSize,
            Slices = [.. Enumerable.Range(0, count).Select(i => $"{Offset(i * step)}/{sliceSize}")],
        };
    }

    /// <summary>The NodeSlicePool the slice controller would write: node-i holds slice i.</summary>
    public JsonObject NodeSlicePool(string @namespace, int nodes) => new()
    {
        ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
        ["kind"] = "NodeSlicePool",
        ["metadata"] = new JsonObject { ["name"] = "loadtest", ["namespace"] = @namespace },
        ["spec"] = new JsonObject { ["range"] = Subnet, ["sliceSize"] = $"/{SliceSize}" },
        ["status"] = new JsonObject
        {
            ["allocations"] = new JsonArray([.. Slices.Select((s, i) => (JsonNode)new JsonObject { ["nodeName"] = i < nodes ? $"node-{i}" : string.Empty, ["sliceRange"] = s })]),
        },
    };

    /// <summary>The NetworkAttachmentDefinition of the sliced network, from which the slice controller makes the NodeSlicePool.</summary>
    public JsonObject NetworkAttachmentDefinition(string @namespace, string kubeconfig) => new()
    {
        ["apiVersion"] = "k8s.cni.cncf.io/v1",
        ["kind"] = "NetworkAttachmentDefinition",
        ["metadata"] = new JsonObject { ["name"] = "loadtest", ["namespace"] = @namespace },
        ["spec"] = new JsonObject { ["config"] = SlicedConfig(kubeconfig) },
    };

    /// <summary>
    /// The network configuration a runtime passes: macvlan delegating to whereabouts on the Kubernetes datastore, with
    /// <paramref name="agentSocket"/> asking that node agent (the kubeconfig stays, for the fallback).
    /// </summary>
    public string Config(string kubeconfig, string? agentSocket = null)
    {
        var ipam = new JsonObject
        {
            ["type"] = "whereabouts",
            ["kubernetes"] = new JsonObject { ["kubeconfig"] = kubeconfig },
            ["range"] = Subnet,
            ["range_start"] = Start,
            ["range_end"] = End,
        };
        if (agentSocket is not null)
        {
            ipam["agent_socket"] = agentSocket;
        }

        return new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = "loadtest",
            ["type"] = "macvlan",
            ["master"] = "eth0",
            ["ipam"] = ipam,
        }.ToJsonString();
    }

    /// <summary>The configuration in node-slice mode.</summary>
    public string SlicedConfig(string kubeconfig, string? agentSocket = null)
    {
        var config = JsonNode.Parse(Config(kubeconfig, agentSocket))!;
        config["ipam"]!["node_slice_size"] = $"/{SliceSize}";
        return config.ToJsonString();
    }

    private static string Offset(int offset)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, BinaryPrimitives.ReadUInt32BigEndian(Base.GetAddressBytes()) + (uint)offset);
        return new IPAddress(bytes).ToString();
    }
}
