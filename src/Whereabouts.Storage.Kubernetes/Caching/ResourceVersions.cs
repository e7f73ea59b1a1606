using System.Globalization;

namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>
/// Orders resourceVersions. Kubernetes calls them opaque, but every API server backed by etcd hands out its revision, a
/// number that only grows; the cache relies on that to keep the newest of a write's answer and a watch event. A version
/// that is not a number cannot be ordered and is taken as newer, so the cache follows whatever came last.
/// </summary>
internal static class ResourceVersions
{
    /// <summary>True when <paramref name="candidate"/> is later than <paramref name="current"/> (or they cannot be ordered).</summary>
    public static bool IsNewer(string candidate, string? current)
    {
        if (current is null)
        {
            return true;
        }

        return TryParse(candidate, out var a) && TryParse(current, out var b) ? a > b : candidate != current;
    }

    /// <summary>True when <paramref name="candidate"/> is the same as or later than <paramref name="current"/>.</summary>
    public static bool IsAtLeast(string candidate, string current) => candidate == current || IsNewer(candidate, current);

    /// <summary>True when both versions are numbers, so that their order means something.</summary>
    public static bool CanOrder(string a, string b) => TryParse(a, out _) && TryParse(b, out _);

    private static bool TryParse(string version, out ulong value) =>
        ulong.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
