using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Benchmarks;

/// <summary>A pool as the store hands it to the planner: a range and its allocations keyed by offset.</summary>
public sealed class PoolScenario
{
    private PoolScenario(string name, AllocationRange range, IEnumerable<Ip> reserved)
    {
        Name = name;
        Range = range;
        Base = range.Subnet.Network;
        var pool = new Dictionary<UInt128, PoolAllocation>();
        var i = 0;
        foreach (var ip in reserved)
        {
            pool[ip.OffsetFrom(Base)] = new PoolAllocation($"container-{i}", $"default/pod-{i}", "net1");
            i++;
        }

        Allocations = pool;
        ReservedValues = [.. pool.Keys.Select(o => Base.Value + o)];
    }

    public string Name { get; }

    public AllocationRange Range { get; }

    public Ip Base { get; }

    public IReadOnlyDictionary<UInt128, PoolAllocation> Allocations { get; }

    public UInt128[] ReservedValues { get; }

    public static IEnumerable<string> Names => ["v4/22 1k", "v4/16 60k", "v6/64 100k", "v6/48 last free"];

    public static PoolScenario Create(string name) => name switch
    {
        "v4/22 1k" => Filled(name, "10.0.0.0/22", dense: 1_000, scattered: 0),
        "v4/16 60k" => Filled(name, "10.0.0.0/16", dense: 55_000, scattered: 5_000),
        "v6/64 100k" => Filled(name, "2001:db8::/64", dense: 90_000, scattered: 10_000),
        "v6/48 last free" => LastFree(name),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown scenario"),
    };

    public override string ToString() => Name;

    /// <summary>
    /// The lowest <paramref name="dense"/> addresses taken, as a pool that always hands out its lowest free address
    /// fills up, plus <paramref name="scattered"/> random ones anywhere in the range (in IPv6, far beyond 2^63).
    /// </summary>
    private static PoolScenario Filled(string name, string subnet, int dense, int scattered)
    {
        var cidr = Cidr.Parse(subnet);
        var range = AllocationRange.Create(new RangeConfig(cidr, null, null, [], "range"), null);
        var random = new Random(42);
        var reserved = new HashSet<Ip>();
        for (var i = 0; i < dense; i++)
        {
            reserved.Add(new Ip(range.Window.First + (uint)i, cidr.Family));
        }

        var span = range.Window.Last - range.Window.First;
        while (reserved.Count < dense + scattered)
        {
            var high = (UInt128)(ulong)random.NextInt64() << 64 | (ulong)random.NextInt64();
            reserved.Add(new Ip(range.Window.First + (high % span), cidr.Family));
        }

        return new PoolScenario(name, range, reserved.OrderBy(_ => random.Next()));
    }

    /// <summary>
    /// An IPv6 /48 whose only free address is its last usable one: /49, /50, … /126 excludes cover all but the last
    /// four addresses, two of those are reserved, the all-ones address is never handed out; plus 1,000 reservations
    /// inside the excluded part.
    /// </summary>
    private static PoolScenario LastFree(string name)
    {
        var cidr = Cidr.Parse("2001:db8:1234::/48");
        var excludes = new List<Cidr>();
        var cursor = cidr.Network.Value;
        for (var prefix = 49; prefix <= 126; prefix++)
        {
            excludes.Add(new Cidr(Ip.V6(cursor), prefix));
            cursor += UInt128.One << (128 - prefix);
        }

        var range = AllocationRange.Create(new RangeConfig(cidr, null, null, excludes, "range"), null);
        var last = cidr.Last.Value;
        var random = new Random(42);
        var reserved = new List<Ip> { Ip.V6(last - 3), Ip.V6(last - 2) };
        for (var i = 0; i < 1_000; i++)
        {
            reserved.Add(Ip.V6(cidr.Network.Value + 1 + (uint)random.Next(1, 1 << 30)));
        }

        return new PoolScenario(name, range, reserved);
    }
}
