using System.Collections.Concurrent;
using CsCheck;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

/// <summary>
/// Many pods at once on three nodes, each node one shared store, through the one allocation engine: ADDs and DELs in
/// random order, with lost answers and server errors, with and without cluster-wide reservations (without them, only
/// the pool writes keep pods apart, so their batches collide). No address is ever held by two pods, and once every pod is
/// deleted nothing is left in the pool or among the reservations.
/// </summary>
public sealed class SharedStoreProperties
{
    private const int Pods = 12;
    private const int Nodes = 3;
    private static int _network;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AllocateAndRelease_ConcurrentPodsOnSharedStores_NeverTwiceAndNothingLeft()
    {
        await using var cluster = await Cluster.StartAsync();
        var services = new List<IpamService>();
        for (var node = 0; node < Nodes; node++)
        {
            services.Add(Services.Ipam(await cluster.StartSharedStoreAsync($"node-{node}"), TimeSpan.FromSeconds(20)));
        }

        await Gen.Select(Gen.Bool.Array[1, 6].Array[Pods], Gen.Int[0, 10], Gen.Int[0, 10], Gen.Bool).SampleAsync(
            async (plans, errorPercent, lostPercent, overlapping) =>
            {
                var n = Interlocked.Increment(ref _network);
                var subnet = $"10.{60 + (n / 256)}.{n % 256}.0/24";
                var config = Services.Config(subnet, rangeStart: subnet.Replace(".0/24", ".1", StringComparison.Ordinal), rangeEnd: subnet.Replace(".0/24", ".8", StringComparison.Ordinal), overlapping: overlapping);
                var holders = new ConcurrentDictionary<Ip, int>();
                var containers = new ConcurrentBag<string>();
                using (var errors = errorPercent > 0 ? cluster.Faults.FailFraction(errorPercent / 100.0, 500, "patch", "ippools") : null)
                using (var lost = lostPercent > 0 ? cluster.Faults.DropFraction(lostPercent / 100.0, overlapping ? "create" : "patch", overlapping ? "overlappingrangeipreservations" : "ippools", FaultPoint.AfterProcessing) : null)
                {
                    await Task.WhenAll(plans.Select((plan, pod) => Task.Run(() => RunPodAsync(services[pod % Nodes], config, pod, plan, holders, containers), Ct)));
                }

                foreach (var container in containers)
                {
                    var pod = int.Parse(container.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
                    await services[pod % Nodes].ReleaseAsync(config, container, "net1", Ct);
                }

                var poolName = Cidr.Parse(subnet).Masked.ToString().Replace('/', '-');
                var pool = cluster.Pool(poolName);
                Assert.True(pool is null || Json.Allocations(pool).Count == 0, $"left in {poolName}: {pool?.ToJsonString()}");
                var prefix = subnet[..^4];
                Assert.DoesNotContain(cluster.Reservations(), r => ((string)r["metadata"]!["name"]!).StartsWith(prefix, StringComparison.Ordinal));
            },
            iter: 16,
            threads: 1);
    }

    private static async Task RunPodAsync(
        IpamService service, IpamConfig config, int pod, bool[] plan, ConcurrentDictionary<Ip, int> holders, ConcurrentBag<string> containers)
    {
        string? container = null;
        Ip? held = null;
        for (var step = 0; step < plan.Length; step++)
        {
            if (plan[step])
            {
                var reuse = container is not null;
                container ??= $"c-{pod}-{step}";
                containers.Add(container);
                try
                {
                    var address = (await service.AllocateAsync(Services.Request(config, container, $"ns/pod-{pod}"), Ct))[0].Address;
                    if (reuse && held is { } before)
                    {
                        Assert.Equal(before, address);
                    }
                    else if (!holders.TryAdd(address, pod) && holders[address] != pod)
                    {
                        Assert.Fail($"{address} handed to pod {pod} while pod {holders[address]} holds it");
                    }

                    held = address;
                }
                catch (IpamException)
                {
                    // As the runtime does after a failed ADD: DEL, which must leave nothing of it behind.
                    await ReleaseAsync();
                }
            }
            else
            {
                await ReleaseAsync();
            }
        }

        async Task ReleaseAsync()
        {
            if (container is null)
            {
                return;
            }

            if (held is { } address)
            {
                holders.TryRemove(KeyValuePair.Create(address, pod));
            }

            held = null;
            try
            {
                await service.ReleaseAsync(config, container, "net1", Ct);
                container = null;
            }
            catch (IpamException)
            {
                // Released again at the end.
            }
        }
    }
}
