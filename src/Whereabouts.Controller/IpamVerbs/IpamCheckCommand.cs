using System.Globalization;
using System.Text.Json;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Inventory;
using Whereabouts.Controller.Reconcile;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary>
/// <c>ipam check</c>: the consistency report of <see cref="ConsistencyCheck"/>. Exit code 0 when there is nothing to
/// report, <see cref="ExitCodes.Problems"/> when there is.
/// </summary>
internal static class IpamCheckCommand
{
    public static async Task<int> RunAsync(IpamCommandOptions options, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        using var loggers = ControllerLogging.CreateFactory(options.LogLevel, environment.Logs);
        using var session = IpamSession.Open(options, environment, loggers.CreateLogger("ipam"));
        var inventory = await ClusterInventory.ReadAsync(session.Client, session.Cluster, options.Namespace, true, true, cancellationToken);
        var problems = ConsistencyCheck.Run(inventory, environment.Time.GetUtcNow(), ReconcileSettings.DefaultReservationGrace)
            .Where(p => options.Network is not { } network || Concerns(p, network, inventory))
            .ToList();
        if (options.Json)
        {
            var document = new CheckDocument([.. problems.Select(static p => new ProblemDocument(p.Kind, p.Ip, p.PodRef, p.Pool, p.Detail))]);
            await environment.Output.WriteLineAsync(JsonSerializer.Serialize(document, IpamJsonContext.Default.CheckDocument));
        }
        else
        {
            await WriteTextAsync(environment.Output, problems, inventory);
        }

        return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Problems;
    }

    /// <summary>
    /// True when <paramref name="problem"/> is in a pool of <paramref name="network"/>, or is a reservation made under
    /// that network name or under the <c>network_name</c> of the definition called so; a problem of unknown network stays.
    /// </summary>
    private static bool Concerns(Problem problem, string network, ClusterInventory inventory)
    {
        if (problem.Pool is { } pool)
        {
            return inventory.Pools.Any(u => u.Namespace + "/" + u.Name == pool && u.BelongsTo(network));
        }

        return problem.Network is not { } reservationNetwork
            || reservationNetwork == network
            || inventory.Pools.Any(u => u.BelongsTo(network) && u.NetworkNames.Contains(reservationNetwork, StringComparer.Ordinal));
    }

    private static async Task WriteTextAsync(TextWriter output, List<Problem> problems, ClusterInventory inventory)
    {
        var checkedWhat = string.Create(
            CultureInfo.InvariantCulture,
            $"{inventory.Pools.Count} pools, {inventory.Pools.Sum(static p => p.Allocated)} allocations, {inventory.Reservations.Count} reservations, {inventory.Pods?.Count ?? 0} pods");
        if (problems.Count == 0)
        {
            await output.WriteLineAsync($"No problems found ({checkedWhat} checked).");
            return;
        }

        var table = new TextTable("KIND", "IP", "POD", "POOL", "DETAIL");
        foreach (var p in problems)
        {
            table.Add(p.Kind, p.Ip ?? "-", p.PodRef ?? "-", p.Pool ?? "-", p.Detail);
        }

        await table.WriteAsync(output);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{problems.Count} problem(s) found ({checkedWhat} checked)."));
    }
}
