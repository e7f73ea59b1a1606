using Whereabouts.Core.Net;

namespace Whereabouts.Core.Config;

/// <summary>A route copied verbatim into the CNI result.</summary>
public sealed record RouteConfig(
    Cidr Destination,
    Ip? Gateway,
    int? Mtu = null,
    int? Advmss = null,
    int? Priority = null,
    int? Table = null,
    int? Scope = null);
