using Whereabouts.Core.Net;

namespace Whereabouts.Core.Tests.Support;

/// <summary>Short spellings for addresses and prefixes in test tables.</summary>
internal static class Addr
{
    public static Ip Ip(string text) => Core.Net.Ip.Parse(text);

    public static Cidr Cidr(string text) => Core.Net.Cidr.Parse(text);

    public static Ip[] Ips(params string[] texts) => [.. texts.Select(Ip)];
}
