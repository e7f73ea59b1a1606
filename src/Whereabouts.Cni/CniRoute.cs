namespace Whereabouts.Cni;

/// <summary>A route of a result. Null members are left out of the JSON.</summary>
/// <param name="Dst">Destination in CIDR form (<c>dst</c>), e.g. <c>0.0.0.0/0</c>.</param>
/// <param name="Gw">Next hop (<c>gw</c>).</param>
/// <param name="Mtu">Spec 1.1.0 <c>mtu</c>.</param>
/// <param name="Advmss">Spec 1.1.0 <c>advmss</c>.</param>
/// <param name="Priority">Spec 1.1.0 <c>priority</c>.</param>
/// <param name="Table">Spec 1.1.0 <c>table</c>.</param>
/// <param name="Scope">Spec 1.1.0 <c>scope</c>.</param>
public sealed record CniRoute(
    string Dst,
    string? Gw = null,
    int? Mtu = null,
    int? Advmss = null,
    int? Priority = null,
    int? Table = null,
    int? Scope = null);
