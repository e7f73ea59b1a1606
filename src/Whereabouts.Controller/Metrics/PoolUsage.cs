using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Controller.Metrics;

/// <summary>How full one IPPool is.</summary>
/// <param name="Namespace">The pool's namespace.</param>
/// <param name="Pool">The pool's name.</param>
/// <param name="Range">Its <c>spec.range</c>, masked.</param>
/// <param name="Size">Usable addresses of the range: all but the network and the all-ones address.</param>
/// <param name="InUse">Allocations in the pool.</param>
internal sealed record PoolUsage(string Namespace, string Pool, string Range, double Size, double InUse)
{
    /// <summary>Free addresses; narrowing by range_start, range_end or exclude (known only to the NAD) is not subtracted.</summary>
    public double Free => Math.Max(0, Size - InUse);

    /// <summary>The usage of a listed pool; null when its range cannot be read.</summary>
    public static PoolUsage? Of(IPPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!Cidr.TryParse(pool.Spec?.Range, out var range))
        {
            return null;
        }

        var size = UsableWindow.HasUsableAddresses(range) ? (double)range.HostMask - 1 : 0;
        return new PoolUsage(
            pool.Metadata?.NamespaceProperty ?? string.Empty,
            pool.Metadata?.Name ?? string.Empty,
            range.Masked.ToString(),
            size,
            pool.Spec?.Allocations?.Count ?? 0);
    }
}
