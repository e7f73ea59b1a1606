using Prometheus;

namespace Whereabouts.Controller.NodeSlices;

/// <summary>The slice controller's metrics, in the controller's registry (described in Metrics/README.md).</summary>
internal sealed class NodeSliceMetrics
{
    private static readonly string[] Labels = ["nodeslicepool"];

    private readonly Gauge _assigned;
    private readonly Gauge _free;
    private readonly Gauge _withoutSlice;
    private readonly Gauge _notMoved;
    private readonly Gauge _mismatched;

    public NodeSliceMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _assigned = factory.CreateGauge("whereabouts_node_slices_assigned", "Slices of the NodeSlicePool assigned to a node.", Labels);
        _free = factory.CreateGauge("whereabouts_node_slices_free", "Slices of the NodeSlicePool assigned to no node.", Labels);
        _withoutSlice = factory.CreateGauge("whereabouts_node_slice_nodes_without_slice", "Nodes left without a slice because every slice is taken.", Labels);
        _notMoved = factory.CreateGauge("whereabouts_node_slices_not_moved", "Slices outside the current range or size, kept because they hold live allocations.", Labels);
        _mismatched = factory.CreateGauge("whereabouts_node_slice_mismatched_definitions", "NetworkAttachmentDefinitions whose range or slice size disagrees with the others of the network.", Labels);
    }

    public void Set(string pool, int assigned, int free, int withoutSlice, int notMoved, int mismatched)
    {
        _assigned.WithLabels(pool).Set(assigned);
        _free.WithLabels(pool).Set(free);
        _withoutSlice.WithLabels(pool).Set(withoutSlice);
        _notMoved.WithLabels(pool).Set(notMoved);
        _mismatched.WithLabels(pool).Set(mismatched);
    }
}
