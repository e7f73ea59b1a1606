using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;
using Whereabouts.Storage.Kubernetes;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.StoreBench;

/// <summary>
/// The resident memory of a process whose shared store caches many allocations: this process fills an API test server
/// (pools of 1,000 typical allocations, one reservation each) and starts itself again as the measured process, which
/// only opens the store, waits until it is synced and reports its own resident set.
/// </summary>
internal static class MemoryProbe
{
    public const string ChildFlag = "--memory-child";

    private const string Namespace = "kube-system";
    private const int PoolSize = 1000;

    public static async Task<int> RunAsync(int allocations)
    {
        var directory = Directory.CreateTempSubdirectory("wb-storebench-");
        try
        {
            await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions());
            var kubeconfig = server.WriteKubeconfig(Path.Combine(directory.FullName, "kubeconfig"), Namespace);
            Plant(server.Store, allocations);
            Console.WriteLine($"{allocations:N0} allocations in {(allocations + PoolSize - 1) / PoolSize} pools, {allocations:N0} reservations");
            return await RunChildProcessAsync(kubeconfig);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The measured process: opens the store, waits for the caches, and prints its resident memory.</summary>
    public static async Task<int> RunChildAsync(string kubeconfig)
    {
        var baseline = ResidentKiB("VmRSS");
        await using var store = await SharedKubernetesIpamStore.StartAsync(new KubernetesStoreOptions { KubeconfigPath = kubeconfig }, NullLogger.Instance, CancellationToken.None);
        await store.WaitForSyncAsync(CancellationToken.None);
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var (pools, cached, reservations) = store.CachedObjects;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"measured process: cached {pools} pools, {cached:N0} allocations, {reservations:N0} reservations; resident {ResidentKiB("VmRSS") / 1024.0:0.0} MiB (peak {ResidentKiB("VmHWM") / 1024.0:0.0} MiB, {baseline / 1024.0:0.0} MiB before the store), managed heap {GC.GetTotalMemory(false) / 1048576.0:0.0} MiB (GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:0.0} MiB)"));
        return 0;
    }

    private static async Task<int> RunChildProcessAsync(string kubeconfig)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(MemoryProbe).Assembly.Location);
        }

        start.ArgumentList.Add(ChildFlag);
        start.ArgumentList.Add(kubeconfig);
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        Console.Write(output);
        return child.ExitCode;
    }

    private static void Plant(KubeApiStore store, int allocations)
    {
        for (var pool = 0; pool * PoolSize < allocations; pool++)
        {
            var subnet = Cidr.Parse($"10.{100 + (pool / 64)}.{pool % 64 * 4}.0/22");
            var entries = new JsonObject();
            for (var offset = 1; offset <= Math.Min(PoolSize, allocations - (pool * PoolSize)); offset++)
            {
                var pod = (pool * PoolSize) + offset;
                var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(pod)));
                var podRef = $"production/frontend-web-7d9f8b6c5d-{pod:00000}";
                entries[offset.ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["id"] = id, ["podref"] = podRef, ["ifname"] = "net1" };
                subnet.Address.TryAdd((UInt128)offset, out var address);
                store.Create("overlappingrangeipreservations", new JsonObject
                {
                    ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
                    ["metadata"] = new JsonObject { ["name"] = ObjectNames.OverlappingReservation(address, null), ["namespace"] = Namespace },
                    ["spec"] = new JsonObject { ["containerid"] = id, ["podref"] = podRef, ["ifname"] = "net1" },
                });
            }

            store.Create("ippools", new JsonObject
            {
                ["apiVersion"] = "whereabouts.cni.cncf.io/v1alpha1",
                ["metadata"] = new JsonObject { ["name"] = ObjectNames.IpPool(subnet, null), ["namespace"] = Namespace },
                ["spec"] = new JsonObject { ["range"] = subnet.ToString(), ["allocations"] = entries },
            });
        }
    }

    /// <summary>A line of /proc/self/status in KiB (VmRSS: resident now, VmHWM: peak resident).</summary>
    private static long ResidentKiB(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
