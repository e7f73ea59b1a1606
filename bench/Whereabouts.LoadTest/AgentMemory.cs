using System.Globalization;
using System.Text.Json.Nodes;
using Whereabouts.Testing.Agent;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.LoadTest;

/// <summary>
/// The node agent's memory target (≤ 64 MiB with 10,000 allocations cached): one published agent over a pool that
/// holds <c>count</c> allocations, each with its cluster-wide reservation; resident memory once its caches hold them,
/// and again after 100 ADDs and 100 DELs through it, and once it had 12 idle seconds.
/// </summary>
internal static class AgentMemory
{
    private const string Network = "memory";

    public static async Task<int> RunAsync(string plugin, string controller, int count, string @namespace)
    {
        var directory = Directory.CreateTempSubdirectory("wb-agent-memory-");
        try
        {
            await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions());
            var kubeconfig = server.WriteKubeconfig(Path.Combine(directory.FullName, "whereabouts.kubeconfig"), @namespace);
            Plant(server.Store, @namespace, count);
            var socket = Path.Combine(directory.FullName, "agent.sock");
            var watching = WatchesOpened(server);
            await using var agent = await NodeAgentProcess.StartAsync(controller, "node-0", kubeconfig, socket, @namespace, TimeSpan.FromSeconds(60), CancellationToken.None);
            var idle = agent.ResidentKib;
            await watching.WaitAsync(TimeSpan.FromSeconds(60));

            // The agent compacts its heap once its caches are synced: the figure is taken after a settling second.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var cached = agent.ResidentKib;

            var config = Config(kubeconfig, socket);
            var process = new PluginProcess(plugin, _ => config);
            var failures = 0;
            foreach (var command in (string[])["ADD", "DEL"])
            {
                for (var i = 0; i < 100; i++)
                {
                    var result = await process.RunAsync(new PodCall(command, $"memory-{i:000}", $"memory-{i:000}", "node-0"));
                    failures += result.ExitCode == 0 && !result.Stderr.Contains("serving the call directly", StringComparison.Ordinal) ? 0 : 1;
                }
            }

            var after = agent.ResidentKib;

            // Idle, the agent compacts its heap when it grew (every 10 s at most).
            await Task.Delay(TimeSpan.FromSeconds(12));
            var settled = agent.ResidentKib;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"node agent resident memory with {count} allocations and {count} reservations in its caches: {Mib(cached)} MiB (as it started listening: {Mib(idle)} MiB; after 100 ADDs and 100 DELs through it: {Mib(after)} MiB, 12 s later: {Mib(settled)} MiB); calls failed or not served by the agent: {failures}"));
            Console.WriteLine("of which (smaps_rollup): " + Breakdown(agent.ProcessId));
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A /16 pool with <paramref name="count"/> allocations from its second address on, and their reservations.</summary>
    private static void Plant(KubeApiStore store, string @namespace, int count)
    {
        var allocations = new JsonObject();
        for (var i = 1; i <= count; i++)
        {
            var id = $"planted-{i:00000}";
            allocations[(i + 1).ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["id"] = id, ["podref"] = $"apps/pod-{i:00000}", ["ifname"] = "net1" };
            var ip = $"10.200.{(i + 1) >> 8}.{(i + 1) & 255}";
            store.Create("overlappingrangeipreservations", new JsonObject
            {
                ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
                ["kind"] = "OverlappingRangeIPReservation",
                ["metadata"] = new JsonObject { ["name"] = $"{Network}-{ip}", ["namespace"] = @namespace },
                ["spec"] = new JsonObject { ["containerid"] = id, ["podref"] = $"apps/pod-{i:00000}", ["ifname"] = "net1" },
            });
        }

        store.Create("ippools", new JsonObject
        {
            ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
            ["kind"] = "IPPool",
            ["metadata"] = new JsonObject { ["name"] = $"{Network}-10.200.0.0-16", ["namespace"] = @namespace },
            ["spec"] = new JsonObject { ["range"] = "10.200.0.0/16", ["allocations"] = allocations },
        });
    }

    /// <summary>Arms a signal for the first watch of every cached resource; each is listed in full before its watch starts.</summary>
    private static Task WatchesOpened(KubeApiServer server)
    {
        string[] resources = ["ippools", "overlappingrangeipreservations", "nodeslicepools"];
        return Task.WhenAll(resources.Select(r =>
        {
            var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server.Faults.BeforeNext("watch", r, opened.SetResult);
            return opened.Task;
        }));
    }

    private static string Config(string kubeconfig, string socket) => new JsonObject
    {
        ["cniVersion"] = "1.0.0",
        ["name"] = "memory-net",
        ["type"] = "macvlan",
        ["master"] = "eth0",
        ["ipam"] = new JsonObject
        {
            ["type"] = "whereabouts",
            ["network_name"] = Network,
            ["range"] = "10.200.0.0/16",
            ["kubernetes"] = new JsonObject { ["kubeconfig"] = kubeconfig },
            ["agent_socket"] = socket,
        },
    }.ToJsonString();

    /// <summary>Resident memory by kind: the heap and stacks (anonymous) against mapped files (the executable, libssl).</summary>
    private static string Breakdown(int pid)
    {
        var fields = File.ReadLines($"/proc/{pid}/smaps_rollup")
            .Select(static l => l.Split(':', 2))
            .Where(static p => p.Length == 2 && p[0] is "Rss" or "Anonymous" or "Private_Clean" or "Shared_Clean")
            .Select(static p => $"{p[0]} {Mib(long.Parse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture))} MiB");
        return string.Join(", ", fields);
    }

    private static string Mib(long? kib) => kib is { } k ? (k / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) : "?";
}
