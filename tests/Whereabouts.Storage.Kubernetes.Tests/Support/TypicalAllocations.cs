using System.Globalization;
using Whereabouts.Core.Allocation;

namespace Whereabouts.Storage.Kubernetes.Tests.Support;

/// <summary>
/// Allocations as a real cluster writes them: a 64-hex-digit container id, a Deployment pod reference
/// (<c>namespace/deployment-&lt;10&gt;-&lt;5&gt;</c>, 40 characters) and <c>net1</c>. Offsets start at 1.
/// </summary>
internal static class TypicalAllocations
{
    /// <summary>How many such allocations one IPPool can hold before the size estimate refuses (measured by the tests).</summary>
    public const int PracticalMaximum = 7673;

    public static PoolAllocation At(int offset) => new(
        offset.ToString("x8", CultureInfo.InvariantCulture) + new string('c', 56),
        $"production/frontend-web-7d9f8b6c5d-{offset % 100000:00000}",
        "net1");

    public static Dictionary<UInt128, PoolAllocation> Dictionary(int count)
    {
        var result = new Dictionary<UInt128, PoolAllocation>(count);
        for (var offset = 1; offset <= count; offset++)
        {
            result[(UInt128)offset] = At(offset);
        }

        return result;
    }
}
