using Microsoft.Extensions.Logging;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam;

/// <summary>
/// Node-slice mode: finds this node's slice in the network's NodeSlicePool and narrows the range it belongs to, so the
/// engine allocates in the node's slice pool. Every caller of the engine (the plugin, the node agent) goes through it.
/// </summary>
internal sealed class NodeSliceResolver(IIpamStore store, StoreRetry retry, ILogger logger, string? nodeName)
{
    /// <summary>
    /// The configuration with this node's slice on the range it cuts. For an ADD or CHECK a missing slice is an error;
    /// for a release it is not (the pod could not have an address in a slice that does not exist, and a DEL that fails
    /// forever would block the pod's deletion), so the configuration is returned unchanged.
    /// </summary>
    public async Task<IpamConfig> ApplyAsync(IpamConfig config, bool forRelease, CancellationToken cancellationToken)
    {
        if (config.NodeSlicePrefix is null || config.Ranges.Any(static r => r.Slice is not null))
        {
            return config;
        }

        var poolName = ObjectNames.NodeSlicePool(config.PoolNetworkName, config.NetworkName);
        try
        {
            var slices = store.NodeSlices
                ?? throw new InvalidIpamConfigException("node_slice_size needs the Kubernetes datastore: the file datastore has no NodeSlicePools");
            var node = string.IsNullOrEmpty(nodeName) ? slices.NodeName : nodeName;
            if (string.IsNullOrEmpty(node))
            {
                throw new NodeSliceUnavailableException(
                    "node_slice_size is set but this node's name is unknown: set NODENAME, or write it to the nodename file next to the flat file (install-cni does), or /etc/hostname");
            }

            var table = await retry.RunAsync(ct => slices.GetAsync(poolName, ct), "NodeSlicePool " + poolName, cancellationToken);
            var where = $"NodeSlicePool {slices.Location}/{poolName}";
            if (table is null)
            {
                throw new NodeSliceUnavailableException(
                    $"node {node} has no slice: {where} does not exist yet (whereabouts-controller run creates it from the NetworkAttachmentDefinition); try again later");
            }

            return WithSlice(config, FindSlice(table, where, node), where);
        }
        catch (IpamException ex) when (forRelease && ex is NodeSliceUnavailableException or InvalidIpamConfigException)
        {
            IpamLog.NoSliceOnRelease(logger, poolName, ex.Message);
            return config;
        }
    }

    private static NodeSlice FindSlice(NodeSliceTable table, string where, string node)
    {
        var entry = table.Slices.FirstOrDefault(e => e.NodeName == node);
        if (entry is null)
        {
            var free = table.Slices.Count(static e => e.NodeName.Length == 0);
            var why = free == 0
                ? $"all {table.Slices.Count} slices of {table.Range} are assigned to other nodes (the range is exhausted: add a range or use smaller slices)"
                : "the controller has not assigned one yet";
            throw new NodeSliceUnavailableException($"node {node} has no slice in {where}: {why}; try again later");
        }

        if (!Cidr.TryParse(entry.SliceRange, out var slice))
        {
            throw new NodeSliceUnavailableException($"{where} gives node {node} the slice '{entry.SliceRange}', which is not a CIDR; try again later");
        }

        return new NodeSlice(node, slice.Masked);
    }

    private static IpamConfig WithSlice(IpamConfig config, NodeSlice slice, string where)
    {
        var ranges = config.Ranges.ToArray();
        for (var i = 0; i < ranges.Length; i++)
        {
            var subnet = ranges[i].Subnet;
            if (subnet.Family == slice.Range.Family && subnet.Contains(slice.Range.Network) && slice.Range.PrefixLength >= subnet.PrefixLength)
            {
                ranges[i] = ranges[i] with { Slice = slice };
                return config with { Ranges = ranges };
            }
        }

        throw new NodeSliceUnavailableException(
            $"{where} gives node {slice.NodeName} the slice {slice.Range}, which is in no configured range ({string.Join(", ", config.Ranges.Select(static r => r.Subnet))}); the NodeSlicePool still describes an older range - try again later");
    }
}
