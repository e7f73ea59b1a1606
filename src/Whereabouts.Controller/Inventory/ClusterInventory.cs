using Whereabouts.Controller.Kube;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Controller.Inventory;

/// <summary>
/// One read of the allocation state: the IPPools (as <see cref="PoolUsage"/>), the NetworkAttachmentDefinitions that
/// give them their windows, and on request the reservations and then the pods. Reading pools, then reservations, then
/// pods means a pod that held an address in the pool list is in the pod list unless it was deleted since.
/// </summary>
internal sealed class ClusterInventory
{
    private ClusterInventory(
        IReadOnlyList<PoolUsage> pools,
        IReadOnlyList<string> problems,
        NetworkDirectory networks,
        IReadOnlyList<(string Namespace, Reservation Reservation)> reservations,
        PodDirectory? pods)
    {
        Pools = pools;
        Problems = problems;
        Networks = networks;
        Reservations = reservations;
        Pods = pods;
    }

    /// <summary>The readable pools, by namespace and name.</summary>
    public IReadOnlyList<PoolUsage> Pools { get; }

    /// <summary>Pools, reservations and definitions that could not be read, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }

    public NetworkDirectory Networks { get; }

    /// <summary>The readable reservations (empty unless asked for).</summary>
    public IReadOnlyList<(string Namespace, Reservation Reservation)> Reservations { get; }

    /// <summary>Every pod of the cluster (null unless asked for).</summary>
    public PodDirectory? Pods { get; }

    /// <param name="client">Reads the whereabouts objects.</param>
    /// <param name="cluster">Reads definitions and pods.</param>
    /// <param name="namespace">The pools' and reservations' namespace; null for all.</param>
    /// <param name="withReservations">Also list the reservations.</param>
    /// <param name="withPods">Also list every pod (after the pools and reservations).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="StoreUnavailableException">A list failed.</exception>
    /// <exception cref="StoreAccessDeniedException">The credentials may not list something needed.</exception>
    public static async Task<ClusterInventory> ReadAsync(
        WhereaboutsClient client, ClusterApi cluster, string? @namespace, bool withReservations, bool withPods, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cluster);
        var listed = await client.ListPoolsAsync(@namespace, cancellationToken);
        var crds = withReservations ? await client.ListReservationsAsync(@namespace, cancellationToken) : [];
        var pods = withPods ? PodDirectory.From((await cluster.ListPodsAsync(null, cancellationToken)).Items) : null;
        var networks = NetworkDirectory.From(await cluster.ListNetworkConfigsAsync(cancellationToken));

        var problems = new List<string>(networks.Problems);
        var pools = PoolsOf(listed, networks, problems);
        var reservations = new List<(string, Reservation)>();
        foreach (var crd in crds)
        {
            try
            {
                reservations.Add((crd.Metadata?.NamespaceProperty ?? string.Empty, CrdConversion.ToReservation(crd)));
            }
            catch (StoreDataException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return new ClusterInventory(pools, problems, networks, reservations, pods);
    }

    /// <summary>The pools that can be read, by namespace and name; a line in <paramref name="problems"/> for each other.</summary>
    public static IReadOnlyList<PoolUsage> PoolsOf(IEnumerable<IPPool> pools, NetworkDirectory networks, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(problems);
        var usable = new List<PoolUsage>();
        foreach (var pool in pools)
        {
            try
            {
                usable.Add(PoolUsage.From(pool.Metadata?.NamespaceProperty ?? string.Empty, CrdConversion.ToSnapshot(pool), networks));
            }
            catch (StoreDataException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return [.. usable.OrderBy(static p => p.Namespace, StringComparer.Ordinal).ThenBy(static p => p.Name, StringComparer.Ordinal)];
    }
}
