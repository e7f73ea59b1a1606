using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.StoreBench;

/// <summary>
/// Every pod's ADD at once (bounded per node), one store per simulated node, through <see cref="IpamService"/> as the
/// node agent runs it; then every DEL. Once with the shared store (the agent's), once with the plain one, each on a
/// fresh API test server.
/// </summary>
internal static class Burst
{
    private const string Namespace = "kube-system";

    public static async Task<int> RunAsync(StoreBenchOptions options)
    {
        var range = RangeFor(options.Pods);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{options.Pods} pods on {options.Nodes} nodes (one store each), at most {options.PerNode} in flight per node; range {range.Subnet} usable {range.RangeStart}-{range.RangeEnd} ({options.Pods} addresses); {options.WriteLatencyMs} ms per API write"));
        List<ModeResult> results = [];
        results.Add(await RunModeAsync("shared (agent)", options, range, static async (o, ct) =>
        {
            var store = await SharedKubernetesIpamStore.StartAsync(o, NullLogger.Instance, ct);
            await store.WaitForSyncAsync(ct);
            return store;
        }));
        results.Add(await RunModeAsync("plain", options, range, static (o, _) => Task.FromResult<IIpamStore>(KubernetesIpamStore.Open(o))));
        Console.WriteLine(Render(results));
        var ok = results.All(static r => r.IsClean);
        Console.WriteLine(ok ? "PASS: every call succeeded, no address twice, nothing left after the DELs" : "FAIL");
        return ok ? 0 : 1;
    }

    private static async Task<ModeResult> RunModeAsync(
        string mode, StoreBenchOptions options, RangeConfig range, Func<KubernetesStoreOptions, CancellationToken, Task<IIpamStore>> open)
    {
        var directory = Directory.CreateTempSubdirectory("wb-storebench-");
        var stores = new List<IIpamStore>();
        try
        {
            await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions());
            var kubeconfig = server.WriteKubeconfig(Path.Combine(directory.FullName, "kubeconfig"), Namespace);
            var ipamOptions = IpamOptions.Default with { SpreadAfterCollisions = 2 };
            var services = new List<IpamService>();
            for (var node = 0; node < options.Nodes; node++)
            {
                var store = await open(new KubernetesStoreOptions { KubeconfigPath = kubeconfig, NodeName = $"node-{node}" }, CancellationToken.None);
                stores.Add(store);
                services.Add(new IpamService(store, NullLogger.Instance, ipamOptions));
            }

            server.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(options.WriteLatencyMs));
            var config = new IpamConfig { NetworkName = "storebench", CniVersion = "1.0.0", Ranges = [range] };
            var before = Requests(server);
            var addresses = new Ip?[options.Pods];
            var (addTime, addFailures) = await RunAllAsync(options, async pod =>
            {
                var owner = new AllocationOwner(ContainerId(pod), $"bench/pod-{pod}", "net1");
                addresses[pod] = (await services[pod % options.Nodes].AllocateAsync(new AllocationRequest(config, owner), CancellationToken.None))[0].Address;
            });
            var afterAdd = Requests(server);
            foreach (var store in stores.OfType<SharedKubernetesIpamStore>())
            {
                await Console.Error.WriteLineAsync($"  {store.Counters.PoolPatches} patches, {store.Counters.ChangesSent} changes sent, {store.Counters.Conflicts} answered false");
            }

            var (delTime, delFailures) = await RunAllAsync(options, pod =>
                services[pod % options.Nodes].ReleaseAsync(config, ContainerId(pod), "net1", CancellationToken.None));
            var afterDel = Requests(server);

            var handed = addresses.OfType<Ip>().ToList();
            var pool = server.Store.Get("ippools", Namespace, PoolKey.For(range.Subnet, null).Name);
            var left = (pool?["spec"]?["allocations"] as System.Text.Json.Nodes.JsonObject)?.Count ?? 0;
            var result = new ModeResult(
                mode, addTime, delTime, afterAdd - before, afterDel - afterAdd, addFailures, delFailures, handed.Count - handed.Distinct().Count(),
                left, server.Store.List("overlappingrangeipreservations", Namespace).Count,
                server.Counters.Get("patch", "ippools"),
                server.Counters.Get("patch", "ippools", 422) + server.Counters.Get("patch", "ippools", 409),
                server.Counters.Get("create", "overlappingrangeipreservations", 409),
                options.Pods);
            await Console.Error.WriteLineAsync($"{mode}: ADD {addTime.TotalSeconds:0.00} s, DEL {delTime.TotalSeconds:0.00} s, {result.RequestsPerPod:0.00} requests per pod");
            return result;
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            directory.Delete(recursive: true);
        }
    }

    /// <summary>Runs <paramref name="call"/> for every pod, pod i on node i mod nodes, at most PerNode at once per node; counts failures.</summary>
    private static async Task<(TimeSpan Elapsed, int Failures)> RunAllAsync(StoreBenchOptions options, Func<int, Task> call)
    {
        var failures = 0;
        var durations = new double[options.Pods];
        var gen2 = GC.CollectionCount(2);
        var paused = GC.GetTotalPauseDuration();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Nodes).Select(node => Task.Run(async () =>
        {
            using var slots = new SemaphoreSlim(options.PerNode);
            var pods = Enumerable.Range(0, options.Pods).Where(p => p % options.Nodes == node).Select(async pod =>
            {
                await slots.WaitAsync();
                var one = Stopwatch.StartNew();
                try
                {
                    await call(pod);
                    durations[pod] = one.Elapsed.TotalSeconds;
                }
                catch (IpamException ex)
                {
                    Interlocked.Increment(ref failures);
                    await Console.Error.WriteLineAsync($"pod {pod}: {ex.Message}");
                }
                finally
                {
                    slots.Release();
                }
            });
            await Task.WhenAll(pods);
        })));
        Array.Sort(durations);
        await Console.Error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"  gen2 GCs {GC.CollectionCount(2) - gen2}, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalSeconds:0.00} s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.0} s in {started.Elapsed.TotalSeconds:0.0} s; per call: p50 {durations[durations.Length / 2]:0.000} s, p90 {durations[durations.Length * 9 / 10]:0.000} s, p99 {durations[durations.Length * 99 / 100]:0.000} s, max {durations[^1]:0.000} s"));
        return (started.Elapsed, failures);
    }

    /// <summary>Requests that finished, watches apart (a watch is counted when it ends, which is when its store closes).</summary>
    private static long Requests(KubeApiServer server) =>
        server.Counters.Snapshot().Where(static c => c.Verb != "watch").Sum(static c => c.Count);

    /// <summary>A range with exactly as many usable addresses as pods, in the smallest subnet that holds them.</summary>
    private static RangeConfig RangeFor(int addresses)
    {
        var prefix = 32 - (int)Math.Ceiling(Math.Log2(addresses + 2));
        var subnet = Cidr.Parse($"10.128.0.0/{prefix}");
        subnet.Address.TryAdd(1, out var start);
        subnet.Address.TryAdd((UInt128)addresses, out var end);
        return new RangeConfig(subnet, start, end, [], "range");
    }

    private static string ContainerId(int pod) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"sandbox-{pod}")));

    private static string Render(List<ModeResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| Store | ADD burst | DEL burst | API requests per pod (ADD+DEL) | Failed | Duplicates | Left after DEL | Pool patches | Pool conflicts (422/409) | Reservation claims lost (409) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Mode} | {r.AddTime.TotalSeconds:0.00} s | {r.DelTime.TotalSeconds:0.00} s | {r.RequestsPerPod:0.00} ({r.AddRequests:N0} + {r.DelRequests:N0}) | {r.AddFailures + r.DelFailures} | {r.Duplicates} | {r.LeftAllocations} + {r.LeftReservations} | {r.PoolPatches:N0} | {r.PoolConflicts:N0} | {r.ReservationConflicts:N0} |"));
        }

        return text.ToString();
    }
}
