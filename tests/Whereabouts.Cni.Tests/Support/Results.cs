using System.Buffers;
using System.Net;
using System.Text;

namespace Whereabouts.Cni.Tests.Support;

/// <summary>Result fixtures shared by writer, reader and dispatcher tests.</summary>
internal static class Results
{
    public static CniIpConfig Ip(string address, int prefix, string? gateway = null) =>
        new(IPAddress.Parse(address), prefix, gateway is null ? null : IPAddress.Parse(gateway));

    public static CniDns FullDns { get; } = new(["192.0.2.3"], "x", ["a"], ["o"]);

    /// <summary>Dual stack with a route of each family and full DNS (cni-contract §3.3 values).</summary>
    public static CniResult DualStack { get; } = new(
        [Ip("10.1.2.2", 24, "10.1.2.1"), Ip("2001:db8:1::2", 64, "2001:db8:1::1")],
        [new CniRoute("0.0.0.0/0"), new CniRoute("192.168.0.0/16", "1.1.1.1"), new CniRoute("::/0", "2001:db8:1::1")],
        FullDns);

    /// <summary>One IPv4 address without gateway, routes or DNS.</summary>
    public static CniResult Minimal { get; } = new([Ip("10.0.0.5", 24)], [], CniDns.Empty);

    public static string Write(CniResult result, string version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CniResultWriter.WriteResult(buffer, result, version);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
