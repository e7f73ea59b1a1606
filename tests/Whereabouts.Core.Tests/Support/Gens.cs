using CsCheck;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Tests.Support;

/// <summary>CsCheck generators for addresses and prefixes, biased towards zero groups and the ends of the space.</summary>
internal static class Gens
{
    /// <summary>Any 128-bit value, with extra weight on small values and values near the top.</summary>
    public static readonly Gen<UInt128> Value128 = Gen.Frequency(
        (4, Gen.UInt128),
        (1, Gen.UInt128[UInt128.Zero, 1024]),
        (1, Gen.UInt128[UInt128.MaxValue - 1024, UInt128.MaxValue]),
        (1, Gen.Int[0, 127].Select(bit => UInt128.One << bit)));

    public static readonly Gen<uint> Value32 = Gen.Frequency(
        (4, Gen.UInt),
        (1, Gen.UInt[0, 1024]),
        (1, Gen.UInt[uint.MaxValue - 1024, uint.MaxValue]));

    /// <summary>An IPv6 value whose groups are often zero, so every compression case comes up.</summary>
    public static readonly Gen<UInt128> ZeroHeavy128 = Gen.Frequency(
            (3, Gen.Const((ushort)0)),
            (2, Gen.UShort),
            (1, Gen.UShort[1, 15]),
            (1, Gen.Const((ushort)0xffff)))
        .Array[8]
        .Select(groups => groups.Aggregate(UInt128.Zero, (acc, g) => (acc << 16) | g));

    public static readonly Gen<Ip> V4 = Value32.Select(Ip.V4);

    public static readonly Gen<Ip> V6 = Gen.OneOf(Value128, ZeroHeavy128).Select(Ip.V6);

    public static readonly Gen<Ip> AnyIp = Gen.OneOf(V4, V6);

    /// <summary>A prefix of either family with any length, host bits kept.</summary>
    public static readonly Gen<Cidr> AnyCidr = Gen.OneOf(
        Gen.Select(V4, Gen.Int[0, 32], (ip, prefix) => new Cidr(ip, prefix)),
        Gen.Select(V6, Gen.Int[0, 128], (ip, prefix) => new Cidr(ip, prefix)));

    /// <summary>Names as users write them: mostly valid, sometimes with upper case, '_', dots or far too long.</summary>
    public static readonly Gen<string> Name = Gen.Frequency(
        (3, Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"].Array[1, 20].Select(c => new string(c))),
        (2, Gen.Char["abcXYZ019-_.:/ "].Array[0, 30].Select(c => new string(c))),
        (1, Gen.Char["ab-.Z"].Array[200, 300].Select(c => new string(c))));
}
