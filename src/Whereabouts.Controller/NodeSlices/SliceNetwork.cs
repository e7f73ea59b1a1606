using System.Text;
using Whereabouts.Controller.Kube;
using Whereabouts.Core.Config;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.NodeSlices;

/// <summary>
/// One sliced network: the NodeSlicePool name, the range and slice size its NetworkAttachmentDefinitions agree on,
/// and the definitions that disagree (reported, as upstream does, and the pool is then left as it is).
/// </summary>
internal sealed record SliceNetwork(
    string PoolName,
    string? NetworkName,
    Cidr Range,
    int SlicePrefix,
    IReadOnlyList<NetworkDefinition> Definitions,
    IReadOnlyList<NetworkDefinition> Disagreeing)
{
    public string SliceSize => "/" + SlicePrefix.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Groups the whereabouts definitions with <c>node_slice_size</c> by NodeSlicePool name. The first definition by
    /// namespace and name decides the range and size; others that differ are listed as disagreeing.
    /// </summary>
    public static IReadOnlyList<SliceNetwork> Group(IEnumerable<NetworkDefinition> definitions)
    {
        var read = new List<(NetworkDefinition Definition, IpamConfig Config, string PoolName)>();
        foreach (var definition in definitions.OrderBy(static d => d.Namespace, StringComparer.Ordinal).ThenBy(static d => d.Name, StringComparer.Ordinal))
        {
            if (definition.Config.Length == 0)
            {
                continue;
            }

            var result = IpamConfigReader.Read(Encoding.UTF8.GetBytes(definition.Config), new IpamConfigReadOptions { RequireDatastore = false });
            if (result.Config is { NodeSlicePrefix: not null, Ranges.Count: > 0 } config)
            {
                read.Add((definition, config, ObjectNames.NodeSlicePool(config.PoolNetworkName, config.NetworkName)));
            }
        }

        var networks = new List<SliceNetwork>();
        foreach (var group in read.GroupBy(static r => r.PoolName, StringComparer.Ordinal))
        {
            var first = group.First().Config;
            var range = first.Ranges[0].Subnet;
            var size = first.NodeSlicePrefix!.Value;
            var agreeing = group.Where(r => r.Config.Ranges[0].Subnet == range && r.Config.NodeSlicePrefix == size).Select(static r => r.Definition).ToList();
            var disagreeing = group.Select(static r => r.Definition).Except(agreeing).ToList();
            networks.Add(new SliceNetwork(group.Key, first.PoolNetworkName, range, size, agreeing, disagreeing));
        }

        return networks;
    }
}
