using System.Diagnostics;
using System.Globalization;
using Whereabouts.Testing.Agent;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.PluginBench;

/// <summary>
/// Per ADD+DEL latency of whereabouts (file datastore) and host-local on the same range, invoked directly and through
/// macvlan in a network namespace, and the start-up cost alone (VERSION); calls alternate between the contenders so
/// that machine noise hits all alike. With --baseline another build of whereabouts runs alongside, for before/after.
/// With <c>--agent</c>, whereabouts in agent mode too: the Kubernetes datastore of the API test server (no added write
/// latency), served by a node agent.
/// </summary>
internal static class Bench
{
    private const string Range = "10.123.0.0/16";
    private const string VersionRequest = """{"cniVersion":"1.0.0"}""";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var work = Directory.CreateTempSubdirectory("wb-bench-").FullName;
        var hostLocal = Path.Combine(options.CniDir, "host-local");
        foreach (var required in new[] { options.Plugin, hostLocal, options.Baseline ?? options.Plugin })
        {
            if (!File.Exists(required))
            {
                Console.Error.WriteLine($"missing {required} (build with ./build.sh plugin; apt-get install containernetworking-plugins)");
                return 2;
            }
        }

        var master = $"wbb{Environment.ProcessId % 100000}";
        var netns = $"wbbench-{Environment.ProcessId}";
        var useNetns = options.ThroughMacvlan && Environment.UserName == "root";
        KubeApiServer? server = null;
        NodeAgentProcess? agent = null;
        try
        {
            var contenders = new List<Contender>
            {
                new("whereabouts", options.Plugin, Config("whereabouts", "whereabouts", null, work), Config("whereabouts", "whereabouts", master, work)),
                new("host-local", hostLocal, Config("host-local", "host-local", null, work), Config("host-local", "host-local", master, work)),
            };
            if (options.Baseline is { } baseline)
            {
                contenders.Add(new Contender("baseline", baseline, Config("baseline", "whereabouts", null, work), Config("baseline", "whereabouts", master, work)));
            }

            if (options.Controller is { } controller)
            {
                server = await KubeApiServer.StartAsync(new KubeApiServerOptions());
                var kubeconfig = server.WriteKubeconfig(Path.Combine(work, "whereabouts.kubeconfig"), "kube-system");
                var socket = Path.Combine(work, "agent.sock");
                agent = await NodeAgentProcess.StartAsync(controller, "bench-node", kubeconfig, socket, "kube-system", TimeSpan.FromSeconds(60), CancellationToken.None);
                contenders.Add(new Contender(
                    "whereabouts-agent", options.Plugin, AgentConfig(null, kubeconfig, socket), AgentConfig(master, kubeconfig, socket)));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# plugin latency, {options.Runs} ADD+DEL runs each, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {Cpu()}"));
            Console.WriteLine();
            var version = await MeasureAsync(contenders, options.Runs, c => c.Binary, _ => VersionRequest, "/var/run/netns/none", _ => options.CniDir, VersionAsync);
            Print("VERSION (start-up alone)", version);
            var direct = await MeasureAsync(contenders, options.Runs, c => c.Binary, c => c.DirectConfig, "/var/run/netns/none", _ => options.CniDir, CycleAsync);
            Print("ADD+DEL invoked directly", direct);

            if (useNetns)
            {
                Setup(master, netns);
                var macvlan = Path.Combine(options.CniDir, "macvlan");
                // macvlan finds its IPAM plugin by type on CNI_PATH: each contender's own directory comes first.
                var through = await MeasureAsync(
                    contenders, options.Runs, _ => macvlan, c => c.MacvlanConfig, $"/var/run/netns/{netns}",
                    c => $"{Path.GetDirectoryName(c.Binary)}:{options.CniDir}", CycleAsync);
                Print("ADD+DEL through macvlan in a network namespace", through);
            }
            else if (options.ThroughMacvlan)
            {
                Console.WriteLine("(through macvlan: skipped, needs root)");
            }

            Console.WriteLine();
            Console.WriteLine("| plugin | binary size | peak RSS of one ADD |");
            Console.WriteLine("|---|---|---|");
            foreach (var c in contenders)
            {
                var rss = await Invoker.PeakRssKibAsync(c.Binary, "ADD", "rss-probe", c.DirectConfig, "/var/run/netns/none", options.CniDir);
                await Invoker.CallAsync(c.Binary, "DEL", "rss-probe", c.DirectConfig, "/var/run/netns/none", options.CniDir);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c.Name} | {new FileInfo(c.Binary).Length / 1024.0 / 1024.0:0.0} MiB | {(rss is { } kib ? $"{kib / 1024.0:0.0} MiB" : "n/a (install GNU time)")} |"));
            }

            return 0;
        }
        finally
        {
            if (agent is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node agent resident memory at the end: {agent.ResidentKib / 1024.0:0.0} MiB"));
                await agent.DisposeAsync();
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (useNetns)
            {
                Teardown(master, netns);
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<Dictionary<string, List<TimeSpan>>> MeasureAsync(
        List<Contender> contenders,
        int runs,
        Func<Contender, string> binary,
        Func<Contender, string> config,
        string netns,
        Func<Contender, string> cniPath,
        Func<string, string, string, string, string, Task<TimeSpan>> measure)
    {
        var samples = contenders.ToDictionary(static c => c.Name, static _ => new List<TimeSpan>());
        for (var warmup = 0; warmup < 5; warmup++)
        {
            foreach (var c in contenders)
            {
                await measure(binary(c), config(c), $"warm{warmup}", netns, cniPath(c));
            }
        }

        for (var i = 0; i < runs; i++)
        {
            // Alternate who goes first, so none always runs on a warmer cache.
            var order = i % 2 == 0 ? contenders : [.. Enumerable.Reverse(contenders)];
            foreach (var c in order)
            {
                samples[c.Name].Add(await measure(binary(c), config(c), $"run{i}", netns, cniPath(c)));
            }
        }

        return samples;
    }

    private static Task<TimeSpan> VersionAsync(string binary, string config, string container, string netns, string cniPath) =>
        Invoker.CallAsync(binary, "VERSION", container, config, netns, cniPath);

    private static async Task<TimeSpan> CycleAsync(string binary, string config, string container, string netns, string cniPath) =>
        await Invoker.CallAsync(binary, "ADD", container, config, netns, cniPath)
        + await Invoker.CallAsync(binary, "DEL", container, config, netns, cniPath);

    private static void Print(string title, Dictionary<string, List<TimeSpan>> samples)
    {
        Console.WriteLine($"## {title}");
        Console.WriteLine("| plugin | median ms | p90 ms |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, list) in samples)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Stats.Percentile(list, 0.5):0.00} | {Stats.Percentile(list, 0.9):0.00} |"));
        }

        foreach (var name in samples.Keys.Where(static k => k is not "whereabouts" and not "host-local"))
        {
            PrintRatio(samples, name, "host-local");
        }

        PrintRatio(samples, "whereabouts", "host-local");
        if (samples.ContainsKey("baseline"))
        {
            PrintRatio(samples, "whereabouts", "baseline");
        }

        Console.WriteLine();
    }

    private static void PrintRatio(Dictionary<string, List<TimeSpan>> samples, string name, string other)
    {
        var ours = samples[name];
        var theirs = samples[other];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio {name}/{other}: median {Stats.Percentile(ours, 0.5) / Stats.Percentile(theirs, 0.5):0.00}, p90 {Stats.Percentile(ours, 0.9) / Stats.Percentile(theirs, 0.9):0.00}"));
    }

    private static string Config(string name, string ipam, string? master, string work)
    {
        var data = Path.Combine(work, name + (master is null ? "-direct" : "-macvlan"));
        var ipamJson = ipam == "whereabouts"
            ? $$"""{"type":"whereabouts","datastore":"file","data_dir":"{{data}}","range":"{{Range}}","gateway":"10.123.0.1"}"""
            : $$"""{"type":"host-local","dataDir":"{{data}}","ranges":[[{"subnet":"{{Range}}","gateway":"10.123.0.1"}]]}""";
        var iface = master is null ? string.Empty : $$""","master":"{{master}}","mode":"bridge" """;
        return $$"""{"cniVersion":"1.0.0","name":"bench-{{name}}","type":"macvlan"{{iface}},"ipam":{{ipamJson}}}""";
    }

    /// <summary>whereabouts on the Kubernetes datastore asking the node agent at <paramref name="socket"/> (the kubeconfig for the fallback).</summary>
    private static string AgentConfig(string? master, string kubeconfig, string socket)
    {
        var iface = master is null ? string.Empty : $$""","master":"{{master}}","mode":"bridge" """;
        var ipam = $$"""{"type":"whereabouts","kubernetes":{"kubeconfig":"{{kubeconfig}}"},"agent_socket":"{{socket}}","range":"10.124.0.0/16","gateway":"10.124.0.1"}""";
        return $$"""{"cniVersion":"1.0.0","name":"bench-whereabouts-agent","type":"macvlan"{{iface}},"ipam":{{ipam}}}""";
    }

    private static void Setup(string master, string netns)
    {
        Sh("ip", "link", "add", master, "type", "veth", "peer", "name", master + "p");
        Sh("ip", "link", "set", master, "up");
        Sh("ip", "netns", "add", netns);
    }

    private static void Teardown(string master, string netns)
    {
        Sh("ip", "netns", "del", netns);
        Sh("ip", "link", "del", master);
    }

    private static void Sh(string file, params string[] args)
    {
        using var process = Process.Start(file, args);
        process.WaitForExit();
    }

    private static string Cpu()
    {
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
