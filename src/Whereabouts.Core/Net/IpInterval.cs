namespace Whereabouts.Core.Net;

/// <summary>An inclusive interval of 128-bit address values of one family.</summary>
public readonly record struct IpInterval(UInt128 First, UInt128 Last)
{
    public bool Contains(UInt128 value) => value >= First && value <= Last;

    /// <summary>The number of addresses, saturating at <see cref="UInt128.MaxValue"/> for the whole IPv6 space.</summary>
    public UInt128 Count => Last - First == UInt128.MaxValue ? UInt128.MaxValue : Last - First + 1;
}
