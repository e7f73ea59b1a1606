using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Whereabouts.Core.Net;

/// <summary>
/// An IPv4 or IPv6 address as a 128-bit integer. All arithmetic is done on the full 128 bits, so offsets in
/// large IPv6 ranges are never truncated (upstream kept only 64 bits and could address only the first /65).
/// </summary>
public readonly record struct Ip(UInt128 Value, IpFamily Family) : IComparable<Ip>
{
    /// <summary>Number of bits in an address of <see cref="Family"/>.</summary>
    public int Bits => Family == IpFamily.V4 ? 32 : 128;

    /// <summary>The largest value an address of this family can hold.</summary>
    public UInt128 MaxValue => MaxFor(Family);

    public static UInt128 MaxFor(IpFamily family) => family == IpFamily.V4 ? uint.MaxValue : UInt128.MaxValue;

    public static Ip V4(uint value) => new(value, IpFamily.V4);

    public static Ip V6(UInt128 value) => new(value, IpFamily.V6);

    /// <summary>Parses an address leniently: IPv4 octets may carry leading zeros (read as decimal, as upstream's sloppy parser does).</summary>
    public static Ip Parse(string text) =>
        TryParse(text, out var ip) ? ip : throw new FormatException($"'{text}' is not an IP address");

    /// <inheritdoc cref="Parse(string)"/>
    public static bool TryParse([NotNullWhen(true)] string? text, out Ip ip) => IpParser.TryParse(text, out ip);

    public static Ip FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("address cannot be written", nameof(address));
        }

        var value = UInt128.Zero;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return new Ip(value, address.AddressFamily == AddressFamily.InterNetwork ? IpFamily.V4 : IpFamily.V6);
    }

    public IPAddress ToIPAddress()
    {
        if (Family == IpFamily.V4)
        {
            return new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)Value));
        }

        Span<byte> bytes = stackalloc byte[16];
        var v = Value;
        for (var i = 15; i >= 0; i--)
        {
            bytes[i] = (byte)(v & 0xFF);
            v >>= 8;
        }

        return new IPAddress(bytes);
    }

    /// <summary>Adds an offset; returns false when the result leaves the family's address space.</summary>
    public bool TryAdd(UInt128 offset, out Ip result)
    {
        var max = MaxValue;
        if (offset > max || Value > max - offset)
        {
            result = default;
            return false;
        }

        result = this with { Value = Value + offset };
        return true;
    }

    /// <summary>The offset of this address from <paramref name="origin"/>; both must be of one family.</summary>
    public UInt128 OffsetFrom(Ip origin)
    {
        if (origin.Family != Family)
        {
            throw new ArgumentException(
                $"cannot calculate offset between {Describe(origin)} and {Describe(this)}", nameof(origin));
        }

        if (Value < origin.Value)
        {
            throw new ArgumentOutOfRangeException(nameof(origin), $"{this} lies before {origin}");
        }

        return Value - origin.Value;
    }

    public int CompareTo(Ip other)
    {
        var byFamily = Family.CompareTo(other.Family);
        return byFamily != 0 ? byFamily : Value.CompareTo(other.Value);
    }

    public static bool operator <(Ip left, Ip right) => left.CompareTo(right) < 0;

    public static bool operator >(Ip left, Ip right) => left.CompareTo(right) > 0;

    public static bool operator <=(Ip left, Ip right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Ip left, Ip right) => left.CompareTo(right) >= 0;

    /// <summary>Formats the address exactly as Go's <c>net.IP.String()</c>, because upstream object names are derived from it.</summary>
    public override string ToString() => IpFormatter.Format(this);

    private static string Describe(Ip ip) =>
        string.Create(CultureInfo.InvariantCulture, $"IPv{(int)ip.Family} ({ip})");
}
