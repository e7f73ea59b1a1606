using Whereabouts.Core.Net;

namespace Whereabouts.Core.Config;

/// <summary>A static address from <c>addresses</c>, appended after the allocated ones; it keeps its host bits.</summary>
public sealed record StaticAddress(Cidr Address, Ip? Gateway);
