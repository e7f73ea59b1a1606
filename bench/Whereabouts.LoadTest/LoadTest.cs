using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Whereabouts.Testing.Agent;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.LoadTest;

/// <summary>
/// Spiderpool's IPAM benchmark reduced to the IPAM: every pod's ADD at once (bounded per node), each a real plugin
/// process on the Kubernetes datastore of the API test server; then every DEL; then every ADD again with new sandboxes.
/// In agent mode every simulated node has its own node agent (the published controller) and the plugin asks it.
/// </summary>
internal static class LoadTest
{
    private const string Namespace = "kube-system";

    public static async Task<int> RunAsync(LoadTestOptions options)
    {
        var plugin = options.Plugin ?? FindBinary("whereabouts");
        if (plugin is null || !File.Exists(plugin))
        {
            await Console.Error.WriteLineAsync($"the plugin {plugin ?? "artifacts/bin/whereabouts"} does not exist: run ./build.sh plugin, or pass --plugin");
            return 2;
        }

        var controller = options.Controller ?? FindBinary("whereabouts-controller");
        if ((options.Agent || options.AgentMemory is not null) && (controller is null || !File.Exists(controller)))
        {
            await Console.Error.WriteLineAsync($"the controller {controller ?? "artifacts/bin/whereabouts-controller"} does not exist: run ./build.sh controller, or pass --controller");
            return 2;
        }

        if (options.AgentMemory is { } cached)
        {
            return await AgentMemory.RunAsync(plugin, controller!, cached, Namespace);
        }

        var directory = Directory.CreateTempSubdirectory("wb-loadtest-");
        try
        {
            await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions());
            server.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(options.WriteLatencyMs));
            var kubeconfig = server.WriteKubeconfig(Path.Combine(directory.FullName, "whereabouts.kubeconfig"), Namespace);
            var range = options.SliceSize is { } size ? LoadRange.Sliced(size) : LoadRange.For(options.Pods);
            if (range.SliceSize is not null)
            {
                // Agent mode as the issue's benchmark: Node objects and the NetworkAttachmentDefinition, and the slice
                // controller inside the agents assigns the slices. Direct mode has no controller: the NodeSlicePool it
                // would write is planted.
                if (options.Agent)
                {
                    foreach (var node in NodeNames(options))
                    {
                        server.Store.CreateNode(node);
                    }

                    server.Store.Create("network-attachment-definitions", range.NetworkAttachmentDefinition("default", kubeconfig));
                }
                else
                {
                    server.Store.Create("nodeslicepools", range.NodeSlicePool(Namespace, options.Nodes));
                }
            }

            var agents = new List<NodeAgentProcess>();
            try
            {
                var configs = new Dictionary<string, string>();
                foreach (var node in NodeNames(options))
                {
                    string? socket = null;
                    if (options.Agent)
                    {
                        socket = Path.Combine(directory.FullName, node + ".sock");
                        agents.Add(await NodeAgentProcess.StartAsync(controller!, node, kubeconfig, socket, Namespace, TimeSpan.FromSeconds(60), CancellationToken.None));
                    }

                    configs[node] = range.SliceSize is null ? range.Config(kubeconfig, socket) : range.SlicedConfig(kubeconfig, socket);
                }

                if (range.SliceSize is not null && options.Agent)
                {
                    var waited = await SliceWait.UntilEveryNodeHasASliceAsync(server.Store, Namespace, "loadtest", NodeNames(options), TimeSpan.FromSeconds(60));
                    await Console.Error.WriteLineAsync($"the slice controller gave every node a slice after {waited.TotalSeconds:0.0} s");
                }

                var runner = new RoundRunner(server, new PluginProcess(plugin, node => configs[node]), options.PerNode);
                Console.WriteLine(Header(options, plugin, range));
                return await RunRoundsAsync(runner, server, range, agents, options);
            }
            finally
            {
                foreach (var agent in agents)
                {
                    await agent.DisposeAsync();
                }
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<int> RunRoundsAsync(RoundRunner runner, KubeApiServer server, LoadRange range, List<NodeAgentProcess> agents, LoadTestOptions options)
    {
        var create = await runner.RunAsync("create", Calls("ADD", 1, options));
        create = create with { Check = PoolCheck.Run(server.Store, Namespace, create.Calls) };
        await Console.Error.WriteLineAsync($"create: {create.Elapsed.TotalSeconds:0.0} s, {create.Failures.Count} failed");
        var agentRss = agents.Select(static a => a.ResidentKib ?? 0).DefaultIfEmpty(0).Max();
        var delete = await runner.RunAsync("delete", Calls("DEL", 1, options));
        delete = delete with { Check = PoolCheck.Run(server.Store, Namespace, []) };
        await Console.Error.WriteLineAsync($"delete: {delete.Elapsed.TotalSeconds:0.0} s, {delete.Failures.Count} failed");
        var recreate = await runner.RunAsync("re-create", Calls("ADD", 2, options));
        recreate = recreate with { Check = PoolCheck.Run(server.Store, Namespace, recreate.Calls) };

        RoundResult[] rounds = [create, delete, recreate];
        Console.WriteLine(ReportTable.Render(rounds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"API requests per pod (first ADD + DEL): {(create.Requests + delete.Requests) / (double)options.Pods:0.00}"));
        var fallbacks = rounds.SelectMany(static r => r.Calls).Count(static c => c.Stderr.Contains("serving the call directly", StringComparison.Ordinal));
        if (options.Agent)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"agents: {agents.Count}, largest resident memory after the create round {agentRss / 1024.0:0.0} MiB, now {agents.Select(static a => a.ResidentKib ?? 0).Max() / 1024.0:0.0} MiB; calls that fell back to direct mode: {fallbacks}"));
        }

        var ok = rounds.All(static r => r.Failures.Count == 0 && r.Check!.IsClean) && delete.Check!.Allocations == 0 && delete.Check.Reservations == 0;
        Console.WriteLine(ok ? "PASS: every call succeeded, no address twice, every allocation with its reservation" : "FAIL");
        return ok ? 0 : 1;
    }

    private static IEnumerable<string> NodeNames(LoadTestOptions options) => Enumerable.Range(0, options.Nodes).Select(static n => $"node-{n}");

    /// <summary>One call per pod; pods are spread round-robin over the nodes; each generation has new container IDs.</summary>
    private static List<PodCall> Calls(string command, int generation, LoadTestOptions options) =>
        [.. Enumerable.Range(0, options.Pods).Select(i => new PodCall(command, ContainerId(generation, i), $"pod-{i}", $"node-{i % options.Nodes}"))];

    /// <summary>A 64-hex-digit ID, like a runtime's sandbox IDs.</summary>
    private static string ContainerId(int generation, int pod) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"sandbox-{generation}-{pod}")));

    private static string Header(LoadTestOptions options, string plugin, LoadRange range)
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return string.Create(CultureInfo.InvariantCulture,
            $"""
            whereabouts load test  {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC  {model ?? "unknown CPU"} x {Environment.ProcessorCount}
            plugin {plugin} ({new FileInfo(plugin).Length / 1024} KiB)
            {(options.Agent ? "agent mode (one node agent per node)" : "direct mode")}: {options.Pods} pods on {options.Nodes} nodes, at most {options.PerNode} calls in flight per node; range {range.Subnet} {(range.SliceSize is { } slice ? $"in /{slice} node slices" : $"usable {range.Start}-{range.End} ({options.Pods} addresses)")}; {options.WriteLatencyMs} ms per API write

            """);
    }

    private static string? FindBinary(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Whereabouts.slnx")))
            {
                return Path.Combine(directory.FullName, "artifacts", "bin", name);
            }
        }

        return null;
    }
}
