using System.Globalization;
using System.Text.Json;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Inventory;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary>
/// <c>ipam show</c>: one row per IPPool with its range, the window the plugin allocates from, allocated, free and usage;
/// with <c>--ips</c> every allocation. Pools, reservations or definitions that cannot be read are named on stderr.
/// </summary>
internal static class IpamShowCommand
{
    public static async Task<int> RunAsync(IpamShowOptions options, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var common = options.Common;
        using var loggers = ControllerLogging.CreateFactory(common.LogLevel, environment.Logs);
        using var session = IpamSession.Open(common, environment, loggers.CreateLogger("ipam"));
        var inventory = await ClusterInventory.ReadAsync(session.Client, session.Cluster, common.Namespace, false, false, cancellationToken);
        var pools = inventory.Pools.Where(p => common.Network is not { } network || p.BelongsTo(network)).ToList();
        foreach (var problem in inventory.Problems)
        {
            await environment.Error.WriteLineAsync("warning: " + problem);
        }

        if (common.Json)
        {
            var document = new ShowDocument([.. pools.Select(p => Document(p, options.Ips))]);
            await environment.Output.WriteLineAsync(JsonSerializer.Serialize(document, IpamJsonContext.Default.ShowDocument));
            return ExitCodes.Success;
        }

        await WriteTextAsync(environment.Output, pools, options.Ips);
        return ExitCodes.Success;
    }

    private static PoolDocument Document(PoolUsage pool, bool ips) => new(
        pool.Name,
        pool.Namespace,
        pool.Range.ToString(),
        pool.Allocated,
        pool.Free,
        ips ? [.. pool.Entries.Select(static e => new AllocationDocument(e.Address?.ToString(), e.Allocation.PodRef, e.Allocation.IfName, e.Allocation.ContainerId))] : null);

    private static async Task WriteTextAsync(TextWriter output, List<PoolUsage> pools, bool ips)
    {
        if (pools.Count == 0)
        {
            await output.WriteLineAsync("No IPPools found.");
            return;
        }

        var table = new TextTable("NAMESPACE", "POOL", "RANGE", "WINDOW", "ALLOCATED", "FREE", "USAGE");
        var notes = new List<string>();
        foreach (var pool in pools)
        {
            var window = pool.WindowText + (pool.WholeRange ? " *" : string.Empty);
            table.Add(pool.Namespace, pool.Name, pool.Range.ToString(), window, Number(pool.Allocated), pool.Free.ToString(CultureInfo.InvariantCulture), Percent(pool.UsageRatio));
            notes.AddRange(Notes(pool));
        }

        await table.WriteAsync(output);
        if (pools.Any(static p => p.WholeRange))
        {
            notes.Insert(0, "* no NetworkAttachmentDefinition uses this pool: the window is the whole range (network and broadcast addresses left out)");
        }

        foreach (var note in notes)
        {
            await output.WriteLineAsync(note);
        }

        if (ips)
        {
            await output.WriteLineAsync();
            var allocations = new TextTable("IP", "POD", "INTERFACE", "CONTAINER", "POOL");
            foreach (var pool in pools)
            {
                foreach (var entry in pool.Entries)
                {
                    var a = entry.Allocation;
                    allocations.Add(entry.Address?.ToString() ?? $"(offset {entry.Offset})", Dash(a.PodRef), Dash(a.IfName), Dash(a.ContainerId), pool.Namespace + "/" + pool.Name);
                }
            }

            if (allocations.Count == 0)
            {
                await output.WriteLineAsync("No allocations.");
            }
            else
            {
                await allocations.WriteAsync(output);
            }
        }
    }

    private static IEnumerable<string> Notes(PoolUsage pool)
    {
        var name = pool.Namespace + "/" + pool.Name;
        if (pool.Window is { } window && window.Blocked.Count > 0)
        {
            yield return $"{name}: window {window.Describe()} (from NetworkAttachmentDefinition {pool.Networks[0].Definition})";
        }

        if (pool.WindowsDisagree)
        {
            yield return $"{name}: NetworkAttachmentDefinitions {string.Join(", ", pool.Networks.Select(static n => n.Definition.ToString()))} give this pool different windows; the first one's is shown";
        }

        var outside = pool.Entries.Count(static e => !e.InWindow);
        if (outside > 0)
        {
            yield return $"{name}: {outside} allocation(s) outside the window are counted in ALLOCATED but not in USAGE (see ipam check)";
        }

        if (pool.Snapshot.UnreadableKeys.Count > 0)
        {
            yield return $"{name}: {pool.Snapshot.UnreadableKeys.Count} allocation key(s) cannot be read as offsets: {string.Join(", ", pool.Snapshot.UnreadableKeys)}";
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Dash(string value) => value.Length == 0 ? "-" : value;
}
