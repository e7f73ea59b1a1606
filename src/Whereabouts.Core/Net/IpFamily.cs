namespace Whereabouts.Core.Net;

/// <summary>The address family of an <see cref="Ip"/>.</summary>
public enum IpFamily
{
    V4 = 4,
    V6 = 6,
}
