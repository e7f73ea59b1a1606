using Whereabouts.Core.Config;

namespace Whereabouts.Controller.NodeController;

/// <summary>What a NetworkAttachmentDefinition turned out to be.</summary>
/// <param name="Network">The definition asked for.</param>
/// <param name="Config">Its whereabouts IPAM configuration; null when it has none.</param>
/// <param name="Problem">Why it could not be used: missing, or a configuration that cannot be read. Null when it is fine or not whereabouts.</param>
internal sealed record ResolvedNetwork(NetworkRef Network, IpamConfig? Config, string? Problem);
