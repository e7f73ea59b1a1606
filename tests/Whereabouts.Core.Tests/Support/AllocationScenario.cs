using System.Globalization;
using CsCheck;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Tests.Support;

/// <summary>A random range with bounds, excludes, a gateway and reservations, plus oracles for its lowest free address.</summary>
internal sealed record AllocationScenario(Cidr Subnet, Ip? Start, Ip? End, Cidr[] Excludes, Ip? Gateway, Ip[] Reserved)
{
    /// <summary>Ranges small enough to check address by address: IPv4 /22–/30, IPv6 /118–/126.</summary>
    public static Gen<AllocationScenario> Small { get; } = Create(Gen.OneOf(
        Gen.Select(Gens.V4, Gen.Int[22, 30], (ip, p) => new Cidr(ip, p)),
        Gen.Select(Gens.V6, Gen.Int[118, 126], (ip, p) => new Cidr(ip, p)),
        Gen.Select(Gens.V4, Gen.OneOf(Gen.Const(30), Gen.Const(24)), (ip, p) => new Cidr(ip, p)),
        Gen.Select(Gens.V6, Gen.OneOf(Gen.Const(126), Gen.Const(120)), (ip, p) => new Cidr(ip, p))));

    /// <summary>Large ranges (IPv4 /8–/20, IPv6 /32–/100 with extra weight on /48 and /64), reservations near the edges.</summary>
    public static Gen<AllocationScenario> Large { get; } = Create(Gen.OneOf(
        Gen.Select(Gens.V4, Gen.Int[8, 20], (ip, p) => new Cidr(ip, p)),
        Gen.Select(Gens.V6, Gen.Int[32, 100], (ip, p) => new Cidr(ip, p)),
        Gen.Select(Gens.V6, Gen.OneOf(Gen.Const(48), Gen.Const(64)), (ip, p) => new Cidr(ip, p))));

    public AllocationRange Range => AllocationRange.Create(new RangeConfig(Subnet.Masked, Start, End, Excludes, "range"), Gateway);

    /// <summary>The usable window, from the rules: network+1 to all-ones−1, narrowed by bounds that fall inside it.</summary>
    public (UInt128 First, UInt128 Last) Window()
    {
        var first = Subnet.Network.Value + 1;
        var last = Subnet.Last.Value - 1;
        if (Start is { } s && s.Family == Subnet.Family && s.Value >= first && s.Value <= last)
        {
            first = s.Value;
        }

        if (End is { } e && e.Family == Subnet.Family && e.Value >= first && e.Value <= last)
        {
            last = e.Value;
        }

        return (first, last);
    }

    /// <summary>Tries every address of the window in order.</summary>
    public Ip? BruteForceLowestFree()
    {
        var (first, last) = Window();
        var reserved = Reserved.ToHashSet();
        for (var v = first; v <= last; v++)
        {
            var ip = new Ip(v, Subnet.Family);
            if (!Excludes.Any(x => x.Contains(ip)) && ip != Gateway && !reserved.Contains(ip))
            {
                return ip;
            }
        }

        return null;
    }

    /// <summary>Walks the window, jumping over whole excludes: feasible for any range size.</summary>
    public Ip? WalkLowestFree()
    {
        var (first, last) = Window();
        var reserved = Reserved.ToHashSet();
        var c = first;
        while (c <= last)
        {
            var ip = new Ip(c, Subnet.Family);
            var covering = Excludes.Where(x => x.Contains(ip)).ToArray();
            if (covering.Length > 0)
            {
                var end = covering.Max(x => x.Last.Value);
                if (end >= last)
                {
                    return null;
                }

                c = end + 1;
            }
            else if (ip == Gateway || reserved.Contains(ip))
            {
                c++;
            }
            else
            {
                return ip;
            }
        }

        return null;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"subnet {Subnet} start {Start} end {End} exclude [{string.Join(", ", Excludes)}] gateway {Gateway} reserved [{string.Join(", ", Reserved)}]");

    private static Gen<AllocationScenario> Create(Gen<Cidr> subnets) =>
        from subnet in subnets
        let near = Near(subnet)
        from start in near.Nullable(0.5)
        from end in near.Nullable(0.6)
        let origin = start is { } s && subnet.Contains(s) ? s.Value : subnet.Network.Value + 1
        from excludes in Gen.OneOf(ExcludeNear(subnet, near), ExcludeNear(subnet, Around(subnet, origin))).Array[0, 4]
        from gateway in Gen.OneOf(near, Around(subnet, origin)).Nullable(0.5)
        from reserved in Reservations(subnet, origin)
        select new AllocationScenario(subnet, start, end, excludes, gateway, reserved);

    private static Gen<Ip[]> Reservations(Cidr subnet, UInt128 origin)
    {
        var sparse = Near(subnet).Array[0, 40];

        // A run of consecutive addresses from where allocation starts, with a few holes: the lowest free address
        // is then somewhere inside or just after the run.
        var run = Gen.Select(Gen.Int[0, 80], Gen.Int[0, 80].Array[0, 3], sparse, (length, holes, extra) =>
            Enumerable.Range(0, length).Where(i => !holes.Contains(i)).Select(i => At(subnet, origin, i - 1))
                .Where(ip => ip is not null).Select(ip => ip!.Value).Concat(extra).ToArray());
        if (subnet.HostBits > 10)
        {
            return Gen.Frequency((1, sparse), (2, run));
        }

        // Every address of the subnet but a few holes, so that full and nearly full windows come up often.
        var size = (int)(subnet.HostMask + 1);
        var filled = Gen.Int[0, size - 1].Array[0, 3].Select(holes =>
            Enumerable.Range(0, size).Where(i => !holes.Contains(i)).Select(i => new Ip(subnet.Network.Value + (uint)i, subnet.Family)).ToArray());
        return Gen.Frequency((2, sparse), (2, run), (1, filled));
    }

    private static Ip? At(Cidr subnet, UInt128 origin, int delta) =>
        delta < 0 && origin < (UInt128)(-delta) ? null
        : delta >= 0 && origin > subnet.Address.MaxValue - (UInt128)delta ? null
        : new Ip(delta < 0 ? origin - (UInt128)(-delta) : origin + (UInt128)delta, subnet.Family);

    /// <summary>An address a little before or after <paramref name="origin"/>.</summary>
    private static Gen<Ip> Around(Cidr subnet, UInt128 origin) =>
        Gen.Int[-3, 40].Select(delta => At(subnet, origin, delta) ?? new Ip(origin, subnet.Family));

    /// <summary>An address in or just around the subnet, often near its ends.</summary>
    private static Gen<Ip> Near(Cidr subnet)
    {
        var network = subnet.Network.Value;
        var span = subnet.HostMask;
        var offsets = span <= 4096
            ? Gen.UInt128[UInt128.Zero, span]
            : Gen.OneOf(Gen.UInt128[UInt128.Zero, 300], Gen.UInt128[UInt128.Zero, span], Gen.UInt128[span - 300, span]);
        var max = subnet.Address.MaxValue;
        return Gen.Select(offsets, Gen.Int[-3, 3], (offset, shift) =>
        {
            var value = network + offset;
            value = shift < 0
                ? (value < (UInt128)(-shift) ? UInt128.Zero : value - (UInt128)(-shift))
                : (value > max - (UInt128)shift ? max : value + (UInt128)shift);
            return new Ip(value, subnet.Family);
        });
    }

    /// <summary>Bare addresses, small prefixes and prefixes up to four times larger than the subnet.</summary>
    private static Gen<Cidr> ExcludeNear(Cidr subnet, Gen<Ip> points)
    {
        var bits = subnet.Address.Bits;
        return Gen.Frequency(
            (3, points.Select(ip => new Cidr(ip, bits))),
            (1, Gen.Select(points, Gen.Int[Math.Max(0, subnet.PrefixLength - 2), bits], (ip, p) => new Cidr(ip, p))),
            (2, Gen.Select(points, Gen.Int[Math.Max(0, bits - 4), bits], (ip, p) => new Cidr(ip, p))));
    }
}
