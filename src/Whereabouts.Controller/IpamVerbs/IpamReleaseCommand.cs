using System.Text.Json;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Inventory;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;
using Whereabouts.Storage.Kubernetes;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary>
/// <c>ipam release --ip IP</c>: removes the address's pool entry and its reservation the way a DEL would, through the
/// one release engine (<see cref="IpamService.ReleaseEntriesAsync"/>), which removes only the entry as it was read and
/// the reservation only while the entry's pod interface still owns it. It refuses (exit code
/// <see cref="ExitCodes.Problems"/>) an address nobody holds, one held in pools of several networks without
/// <c>--network</c>, and one whose holder is a pod that still exists and has not finished, unless <c>--force</c>.
/// </summary>
internal static class IpamReleaseCommand
{
    public static async Task<int> RunAsync(IpamReleaseOptions options, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var common = options.Common;
        using var loggers = ControllerLogging.CreateFactory(common.LogLevel, environment.Logs);
        var logger = loggers.CreateLogger("ipam");
        using var session = IpamSession.Open(common, environment, logger);
        var inventory = await ClusterInventory.ReadAsync(session.Client, session.Cluster, common.Namespace, false, false, cancellationToken);
        var holders = Holders(inventory, options.Address, common.Network);
        await RefuseUnlessReleasableAsync(session.Client, options, holders, cancellationToken);

        var released = new List<ReleaseDocument>();
        foreach (var (pool, entries) in holders.GroupBy(static h => h.Pool, static h => h.Entry).Select(static g => (g.Key, g.ToList())))
        {
            var engine = new IpamService(KubernetesIpamStore.Attach(session.Client, pool.Namespace), logger, ReconcileSettings.DefaultRelease, environment.Time);
            var networks = pool.Reserves ? pool.NetworkNames.Select(static n => n.Length == 0 ? null : n).ToList() : [];

            // Without --force the holder is asked again right before its reservation goes: a pod re-created under the
            // same name since the check may have claimed it again.
            Func<ReleasedEntry, CancellationToken, Task<bool>>? mayGo = options.Force
                ? null
                : async (entry, ct) => await LiveHolderAsync(session.Client, entry.Allocation.PodRef, ct) is null;
            var outcome = await engine.ReleaseEntriesAsync(
                pool.Snapshot.Key, entries.ToDictionary(static e => e.Offset, static e => e.Allocation), networks, mayGo, cancellationToken);
            if (outcome.Failure is { } failure)
            {
                throw failure;
            }

            if (outcome.Changed.Count > 0)
            {
                throw new CommandLineException(
                    ExitCodes.Problems,
                    $"{options.Address} in IPPool {pool.Namespace}/{pool.Name} changed after it was read (a new ADD re-used it); nothing released there");
            }

            foreach (var entry in outcome.Released)
            {
                var reservation = networks
                    .Select(n => Core.Naming.ObjectNames.OverlappingReservation(entry.Address, n))
                    .FirstOrDefault(outcome.ReservationsReleased.Contains);
                released.Add(new ReleaseDocument(
                    entry.Address.ToString(),
                    entry.Allocation.PodRef,
                    entry.Allocation.IfName,
                    entry.Allocation.ContainerId,
                    pool.Namespace + "/" + pool.Name,
                    reservation is null ? null : pool.Namespace + "/" + reservation));
            }

            foreach (var problem in outcome.ReservationFailures)
            {
                await environment.Error.WriteLineAsync($"warning: {problem} (the reconcile pass removes it later)");
            }
        }

        await WriteAsync(environment.Output, common.Json, options.Address, released);
        return ExitCodes.Success;
    }

    private static List<(PoolUsage Pool, PoolEntry Entry)> Holders(ClusterInventory inventory, Ip address, string? network)
    {
        var holders = inventory.Pools
            .Where(p => network is null || p.BelongsTo(network))
            .SelectMany(p => p.Entries.Where(e => e.Address == address).Select(e => (p, e)))
            .ToList();
        var scope = network is null ? string.Empty : $" of network {network}";
        if (holders.Count == 0)
        {
            throw new CommandLineException(
                ExitCodes.Problems,
                $"{address} is held by nobody: no IPPool{scope} allocates it (a reservation left without an allocation is removed by `whereabouts-controller reconcile`; `ipam check` lists them)");
        }

        var networks = holders.Select(static h => string.Join(",", h.Item1.NetworkNames)).Distinct(StringComparer.Ordinal).ToList();
        if (network is null && networks.Count > 1)
        {
            throw new CommandLineException(
                ExitCodes.Problems,
                $"{address} is allocated in IPPools of {networks.Count} networks ({string.Join(", ", holders.Select(static h => h.Item1.Namespace + "/" + h.Item1.Name))}); choose one with --network");
        }

        return holders;
    }

    private static async Task RefuseUnlessReleasableAsync(
        WhereaboutsClient client, IpamReleaseOptions options, List<(PoolUsage Pool, PoolEntry Entry)> holders, CancellationToken cancellationToken)
    {
        if (options.Force)
        {
            return;
        }

        foreach (var (pool, entry) in holders)
        {
            var allocation = entry.Allocation;
            if (!PodRef.TryParse(allocation.PodRef, out _))
            {
                throw new CommandLineException(
                    ExitCodes.Problems,
                    $"{options.Address} in IPPool {pool.Namespace}/{pool.Name} is held by '{allocation.PodRef}', which names no pod that can be looked up; pass --force to release it anyway");
            }

            if (await LiveHolderAsync(client, allocation.PodRef, cancellationToken) is { } phase)
            {
                var ifName = allocation.IfName.Length == 0 ? string.Empty : $", interface {allocation.IfName}";
                throw new CommandLineException(
                    ExitCodes.Problems,
                    $"{options.Address} is held by live pod {allocation.PodRef} ({phase}{ifName}, container {allocation.ContainerId}); pass --force to release it anyway");
            }
        }
    }

    /// <summary>The phase of the pod <paramref name="podRef"/> names when it exists and has not finished; null otherwise.</summary>
    private static async Task<string?> LiveHolderAsync(WhereaboutsClient client, string podRef, CancellationToken cancellationToken)
    {
        if (!PodRef.TryParse(podRef, out var pod))
        {
            return null;
        }

        var current = await client.GetPodAsync(pod.Namespace, pod.Name, cancellationToken);
        if (current is null)
        {
            return null;
        }

        var facts = PodFacts.From(current);
        return !facts.HoldsAddresses ? null : facts.Terminating ? "terminating" : facts.Phase.Length == 0 ? "no phase yet" : facts.Phase;
    }

    private static async Task WriteAsync(TextWriter output, bool json, Ip address, List<ReleaseDocument> released)
    {
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new ReleaseResultDocument(released), IpamJsonContext.Default.ReleaseResultDocument));
            return;
        }

        if (released.Count == 0)
        {
            await output.WriteLineAsync($"{address} was released by someone else meanwhile; nothing left to do");
            return;
        }

        foreach (var r in released)
        {
            var ifName = r.IfName.Length == 0 ? string.Empty : $" interface {r.IfName}";
            var reservation = r.Reservation is null ? "no reservation to delete" : $"reservation {r.Reservation} deleted";
            await output.WriteLineAsync($"released {r.Ip} of pod {r.PodRef}{ifName} (container {r.ContainerId}) from IPPool {r.Pool}; {reservation}");
        }
    }
}
