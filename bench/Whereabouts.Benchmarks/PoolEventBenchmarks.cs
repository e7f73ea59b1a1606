using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Benchmarks;

/// <summary>
/// What a node agent does with each watch event of a large pool that another node wrote (one entry changed): the
/// deserializer and the conversion to a snapshot, against reading the event straight into the snapshot.
/// </summary>
[MemoryDiagnoser]
public class PoolEventBenchmarks
{
    private byte[] _event = [];
    private PoolSnapshot _cached = null!;

    [Params(1_000, 10_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var allocations = new Dictionary<string, IPAllocation>();
        for (var i = 1; i <= Entries; i++)
        {
            allocations[i.ToString(CultureInfo.InvariantCulture)] = new IPAllocation
            {
                Id = Convert.ToHexStringLower(BitConverter.GetBytes((long)i * 7919)).PadRight(64, 'a'),
                PodRef = $"default/pod-{i}",
                IfName = "net1",
            };
        }

        var pool = new IPPool { Metadata = new() { Name = "10.0.0.0-16", NamespaceProperty = "kube-system", ResourceVersion = "100" }, Spec = new IPPoolSpec { Range = "10.0.0.0/16", Allocations = allocations } };
        _cached = CrdConversion.ToSnapshot(JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(pool, WhereaboutsJsonContext.Default.IPPool), WhereaboutsJsonContext.Default.IPPool)!);
        allocations["7"] = new IPAllocation { Id = new string('b', 64), PodRef = "default/new-pod", IfName = "net1" };
        pool.Metadata.ResourceVersion = "101";
        _event = JsonSerializer.SerializeToUtf8Bytes(pool, WhereaboutsJsonContext.Default.IPPool);
        if (!Equivalent(DeserializeThenConvert(), ReadStraight()))
        {
            throw new InvalidOperationException("the two ways disagree");
        }
    }

    [Benchmark(Baseline = true)]
    public PoolSnapshot DeserializeThenConvert() =>
        CrdConversion.ToSnapshot(JsonSerializer.Deserialize(_event, WhereaboutsJsonContext.Default.IPPool)!, null, _cached.Allocations);

    [Benchmark]
    public PoolSnapshot ReadStraight() => CrdConversion.ToSnapshot(PoolEventReader.Read(_event, _ => _cached)!);

    private static bool Equivalent(PoolSnapshot a, PoolSnapshot b) =>
        a.Version == b.Version && a.Allocations.Count == b.Allocations.Count && a.Allocations.All(e => b.Allocations.TryGetValue(e.Key, out var v) && v == e.Value);
}
