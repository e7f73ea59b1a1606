using System.Text;
using Whereabouts.Controller.Kube;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Controller.Inventory;

/// <summary>
/// Which NetworkAttachmentDefinitions use which IPPool: each whereabouts range of each definition, mapped to its pool
/// name as the plugin names it (<see cref="PoolKey.For"/>), with the window the allocator uses for it. The pool object
/// only holds its range; range_start, range_end, exclude and the gateway are known only here.
/// </summary>
/// <remarks>
/// Configurations are read without the node's flat file, which a workstation does not have: a setting that only the
/// flat file carries (a <c>network_name</c>, excludes) is missed, and a pool it names is shown with its whole range.
/// </remarks>
internal sealed class NetworkDirectory
{
    private readonly Dictionary<string, List<PoolNetwork>> _byPool = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    private NetworkDirectory()
    {
    }

    /// <summary>Definitions whose configuration could not be read, one line each.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public static NetworkDirectory Empty { get; } = new();

    public static NetworkDirectory From(IEnumerable<NetworkDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var directory = new NetworkDirectory();
        foreach (var definition in definitions.OrderBy(static d => d.Namespace, StringComparer.Ordinal).ThenBy(static d => d.Name, StringComparer.Ordinal))
        {
            directory.Add(definition);
        }

        return directory;
    }

    /// <summary>The definitions whose ranges map to <paramref name="poolName"/>, in namespace/name order.</summary>
    public IReadOnlyList<PoolNetwork> For(string poolName) =>
        _byPool.TryGetValue(poolName, out var networks) ? networks : [];

    private void Add(NetworkDefinition definition)
    {
        if (definition.Config.Length == 0)
        {
            return;
        }

        var result = IpamConfigReader.Read(
            Encoding.UTF8.GetBytes(definition.Config),
            new IpamConfigReadOptions { RequireDatastore = false, FlatFiles = null });
        if (result.NotWhereabouts)
        {
            return;
        }

        if (result.Config is not { } config)
        {
            _problems.Add($"NetworkAttachmentDefinition {definition} cannot be read: {result.ErrorSummary}");
            return;
        }

        foreach (var range in config.Ranges)
        {
            var name = PoolKey.For(range.Subnet, config.PoolNetworkName).Name;
            if (!_byPool.TryGetValue(name, out var networks))
            {
                networks = [];
                _byPool[name] = networks;
            }

            // A gateway outside the subnet blocks nothing; AllocationRange ignores it as the allocator does.
            networks.Add(new PoolNetwork(definition, config, WindowOf(range, config.Gateway)));
        }
    }

    /// <summary>The allocator's window for a range; null when the subnet has no usable address.</summary>
    public static AllocationRange? WindowOf(RangeConfig range, Ip? gateway)
    {
        ArgumentNullException.ThrowIfNull(range);
        return UsableWindow.HasUsableAddresses(range.Subnet) ? AllocationRange.Create(range, gateway) : null;
    }
}
