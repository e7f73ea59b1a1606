using Whereabouts.Ipam.Stores;

namespace Whereabouts.Testing.Fakes;

/// <summary>NodeSlicePools held in memory, set by the test; <see cref="Reads"/> counts lookups.</summary>
public sealed class FakeNodeSliceStore : INodeSliceStore
{
    private readonly Dictionary<string, NodeSliceTable> _tables = new(StringComparer.Ordinal);

    public string Location => "fake";

    public string? NodeName { get; set; }

    public int Reads { get; private set; }

    /// <summary>Sets the NodeSlicePool <paramref name="name"/>: <paramref name="slices"/> as (node, slice) pairs, "" for a free slice.</summary>
    public void Set(string name, string range, string sliceSize, params (string Node, string Slice)[] slices) =>
        _tables[name] = new NodeSliceTable(name, range, sliceSize, [.. slices.Select(static s => new NodeSliceEntry(s.Node, s.Slice))]);

    public void Remove(string name) => _tables.Remove(name);

    public Task<NodeSliceTable?> GetAsync(string name, CancellationToken cancellationToken)
    {
        Reads++;
        return Task.FromResult(_tables.GetValueOrDefault(name));
    }
}
