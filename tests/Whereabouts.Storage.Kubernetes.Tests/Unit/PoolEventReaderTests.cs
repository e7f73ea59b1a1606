using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Tests.Unit;

/// <summary>
/// The watch's direct pool reader against the deserializer and <see cref="CrdConversion.ToSnapshot(IPPool, PoolKey?)"/>:
/// the same snapshot, the same errors, and the same allocations shared with the cached snapshot.
/// </summary>
public sealed class PoolEventReaderTests
{
    private const string Name = "10.0.0.0-24";

    private static readonly PoolAllocation Web = new("c-web", "default/web", "net1");

    private static PoolSnapshot Cached(params (UInt128 Offset, PoolAllocation Allocation)[] entries) =>
        new(PoolKey.For(Whereabouts.Core.Net.Cidr.Parse("10.0.0.0/24"), null), Whereabouts.Core.Net.Ip.Parse("10.0.0.0"), "1", entries.ToDictionary(static e => e.Offset, static e => e.Allocation));

    public static TheoryData<string> Documents => new()
    {
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24","allocations":{"5":{"id":"c","podref":"ns/p","ifname":"net1"}}}}""",
        """{"spec":{"range":"10.0.0.0/24","allocations":{"5":{"id":"c"}}},"metadata":{"name":"p","resourceVersion":"7"}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24"}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24","allocations":null}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24","allocations":{"05":{"id":"c"},"x":{},"5":null,"6":{"id":null,"podref":"a\u00e9b","extra":[1,{"a":2}]}}}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24","allocations":{"\u0035":{"id":"c"}}}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24","allocations":{"5":{"id":"old"},"5":{"id":"new"}}}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"not a range"}}""",
        """{"metadata":{"name":"p"},"spec":{"range":"10.0.0.0/24"}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":null}""",
        """{"metadata":null,"spec":{"range":"10.0.0.0/24"}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24","allocations":{"5":{"id":5}}}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24","allocations":{"5":"c"}}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24","allocations":[]}}""",
        """{"metadata":{"name":"p","resourceVersion":"7"},"spec":{"range":"10.0.0.0/24","allocations":{"5":{"id":"c"}}""",
        """[]""",
        """null""",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Read_Document_AsTheDeserializerAndConversion(string json) => AssertSame(json, null);

    [Fact]
    public void Read_UnchangedEntry_IsTheCachedOneAndChangedOnesAreNew()
    {
        var other = new PoolAllocation("c-other", "default/other", "net1");
        var cached = Cached((5, Web), (6, other));
        var json = """{"metadata":{"name":"10.0.0.0-24","resourceVersion":"8"},"spec":{"range":"10.0.0.0/24","allocations":{"5":{"id":"c-web","podref":"default/web","ifname":"net1"},"6":{"id":"c-other","podref":"default/other","ifname":"net2"}}}}""";

        var snapshot = CrdConversion.ToSnapshot(PoolEventReader.Read(Encoding.UTF8.GetBytes(json), n => n == Name ? cached : null)!);

        Assert.Same(Web, snapshot.Allocations[5]);
        Assert.Equal(other with { IfName = "net2" }, snapshot.Allocations[6]);
        Assert.Equal("8", snapshot.Version);
    }

    [Fact]
    public void Read_Properties_AsTheDeserializerAndConversion()
    {
        var field = Gen.OneOf(
            Gen.Const((string?)null),
            Gen.Const((string?)""),
            Gen.String[Gen.Char["a-z/-"], 1, 12].Select(static s => (string?)s),
            Gen.String[Gen.Char[(char)0x20, (char)0x2FF], 0, 6].Select(static s => (string?)s));
        var allocation = Gen.Select(field, field, field, Gen.Int[0, 9]).Select(static (id, podRef, ifName, shape) => shape switch
        {
            0 => null,
            1 => new JsonObject { ["id"] = id, ["extra"] = new JsonArray(1, 2) },
            2 => new JsonObject { ["ifname"] = ifName, ["podref"] = podRef, ["id"] = id },
            _ => new JsonObject { ["id"] = id, ["podref"] = podRef, ["ifname"] = ifName },
        });
        var key = Gen.OneOf(Gen.Int[0, 40].Select(static i => i.ToString(CultureInfo.InvariantCulture)), Gen.Const("05"), Gen.Const("-1"), Gen.Const("x"), Gen.Const("340282366920938463463374607431768211455"));
        var pool = Gen.Select(Gen.Dictionary(key, allocation)[0, 30], Gen.OneOf(Gen.Const("10.0.0.0/24"), Gen.Const("fd00::/120"), Gen.Const("bad")), Gen.Bool, Gen.Bool);

        pool.Sample(
            (allocations, range, specFirst, withVersion) =>
            {
                var map = new JsonObject();
                foreach (var (k, v) in allocations)
                {
                    map[k] = v?.DeepClone();
                }

                var metadata = new JsonObject { ["name"] = Name, ["labels"] = new JsonObject { ["a"] = "b" } };
                if (withVersion)
                {
                    metadata["resourceVersion"] = "42";
                }

                var spec = new JsonObject { ["range"] = range, ["allocations"] = map };
                var document = specFirst
                    ? new JsonObject { ["spec"] = spec, ["metadata"] = metadata, ["kind"] = "IPPool" }
                    : new JsonObject { ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1", ["kind"] = "IPPool", ["metadata"] = metadata, ["spec"] = spec };
                var json = document.ToJsonString();

                // The cached snapshot: what the deserializer makes of the same pool with some entries changed.
                var cached = Deserialize(json) is { } whole && TrySnapshot(whole, null) is { } snapshot
                    ? snapshot with { Allocations = snapshot.Allocations.ToDictionary(static e => e.Key, static e => e.Key % 3 == 0 ? e.Value with { IfName = e.Value.IfName + "x" } : e.Value) }
                    : null;
                AssertSame(json, cached);
            },
            iter: 500);
    }

    private static IPPool? Deserialize(string json) => JsonSerializer.Deserialize(json, WhereaboutsJsonContext.Default.IPPool);

    private static PoolSnapshot? TrySnapshot(IPPool pool, PoolSnapshot? cached)
    {
        try
        {
            return CrdConversion.ToSnapshot(pool, null, cached?.Allocations);
        }
        catch (StoreDataException)
        {
            return null;
        }
    }

    /// <summary>Both ways give the same snapshot, share the same entries with <paramref name="cached"/>, or fail alike.</summary>
    private static void AssertSame(string json, PoolSnapshot? cached)
    {
        var (expected, expectedError) = Outcome(() => Deserialize(json), cached);
        var (actual, actualError) = Outcome(() => PoolEventReader.Read(Encoding.UTF8.GetBytes(json), _ => cached), cached);

        Assert.Equal(expectedError, actualError);
        if (expected is null || actual is null)
        {
            Assert.Equal(expected is null, actual is null);
            return;
        }

        Assert.Equal((expected.Key, expected.Base, expected.Version), (actual.Key, actual.Base, actual.Version));
        Assert.Equal(expected.UnreadableKeys, actual.UnreadableKeys);
        Assert.Equal(expected.Allocations.OrderBy(static e => e.Key), actual.Allocations.OrderBy(static e => e.Key));
        foreach (var (offset, allocation) in expected.Allocations)
        {
            Assert.Equal(ReferenceEquals(allocation, cached?.Allocations.GetValueOrDefault(offset)), ReferenceEquals(actual.Allocations[offset], cached?.Allocations.GetValueOrDefault(offset)));
        }
    }

    /// <summary>The snapshot, or the kind of failure: "json" for unreadable JSON, the message of a StoreDataException.</summary>
    private static (PoolSnapshot? Snapshot, string? Error) Outcome(Func<IPPool?> read, PoolSnapshot? cached)
    {
        IPPool? pool;
        try
        {
            pool = read();
        }
        catch (JsonException)
        {
            return (null, "json");
        }

        if (pool is null)
        {
            return (null, "null");
        }

        try
        {
            return (CrdConversion.ToSnapshot(pool, null, cached?.Allocations), null);
        }
        catch (StoreDataException ex)
        {
            return (null, ex.Message);
        }
    }
}
