using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;

namespace Whereabouts.LoadTest;

/// <summary>A range with exactly as many usable addresses as pods (Spiderpool's "IPs == pods" case), in the smallest subnet that holds them.</summary>
internal sealed record LoadRange(string Subnet, string Start, string End, string PoolName)
{
    private static readonly IPAddress Base = IPAddress.Parse("10.128.0.0");

    public static LoadRange For(int addresses)
    {
        // Room for the network and broadcast addresses, which are never handed out.
        var bits = (int)Math.Ceiling(Math.Log2(addresses + 2));
        var prefix = 32 - bits;
        var subnet = $"{Base}/{prefix}";
        return new LoadRange(subnet, Offset(1), Offset(addresses), $"{Base}-{prefix}");
    }

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

    private static string Offset(int offset)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, BinaryPrimitives.ReadUInt32BigEndian(Base.GetAddressBytes()) + (uint)offset);
        return new IPAddress(bytes).ToString();
    }
}
