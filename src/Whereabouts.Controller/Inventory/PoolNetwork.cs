using Whereabouts.Controller.Kube;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Inventory;

/// <summary>One range of one NetworkAttachmentDefinition, and the addresses the plugin may hand out from it.</summary>
/// <param name="Definition">The NetworkAttachmentDefinition.</param>
/// <param name="Config">Its whereabouts configuration (read without a flat file).</param>
/// <param name="Range">The range's window, excludes and gateway, as the allocator computes them; null when the subnet has no usable address.</param>
internal sealed record PoolNetwork(NetworkDefinition Definition, IpamConfig Config, AllocationRange? Range)
{
    /// <summary>The configuration's <c>network_name</c>, empty when it has none.</summary>
    public string NetworkName => Config.PoolNetworkName ?? string.Empty;

    /// <summary>True when <paramref name="other"/> lets the plugin hand out exactly the same addresses.</summary>
    public bool SameWindow(PoolNetwork other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (Range, other.Range) switch
        {
            (null, null) => true,
            ({ } a, { } b) => a.Window == b.Window && a.Blocked.SequenceEqual(b.Blocked),
            _ => false,
        };
    }
}
