using System.Text;

namespace Whereabouts.Ipam;

/// <summary>The point of a range where a writer with a given <see cref="IpamOptions.SpreadKey"/> starts looking for a free address.</summary>
internal static class SpreadStart
{
    /// <summary>
    /// A rank in [0, <paramref name="usable"/>) that depends only on <paramref name="key"/> (a fixed hash, so every
    /// process and every restart of one node agent starts at the same point); 0 without a key.
    /// </summary>
    public static UInt128 For(string? key, UInt128 usable) =>
        string.IsNullOrEmpty(key) ? UInt128.Zero : Scale(PointOf(key), usable);

    /// <summary>The key's point as a fraction of any range, in 64 bits.</summary>
    public static ulong PointOf(string key)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * prime;
        }

        // FNV-1a alone moves the high bits little when only the last character differs (node-1, node-2): finish with
        // MurmurHash3's 64-bit mix, so neighbouring names land far apart.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>The rank <paramref name="point"/> falls on among <paramref name="usable"/> addresses.</summary>
    public static UInt128 Scale(ulong point, UInt128 usable)
    {
        if (usable <= UInt128.One)
        {
            return UInt128.Zero;
        }

        // Scaled rather than reduced modulo where the range allows it: a small range is then cut evenly.
        return usable <= ulong.MaxValue ? ((UInt128)point * usable) >> 64 : (((UInt128)point << 64) | point) % usable;
    }
}
