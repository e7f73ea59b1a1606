using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.File.Peer;

/// <summary>
/// Usage: <c>&lt;command&gt; &lt;data_dir&gt; ...</c>. Prints <c>ready</c> once its store is open, waits for the go file
/// when it has one (so that several peers start their race together), then prints its results, one per line.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        await using var store = new FileIpamStore(args[1]);
        Console.WriteLine("ready");
        switch (args[0])
        {
            // create-reservation <data_dir> <name> <podref> <go_file>: exits once <go_file>.done exists
            case "create-reservation":
                await WaitForAsync(args[4]);
                var claim = await store.Reservations.TryCreateAsync(args[2], new AllocationOwner($"c{Environment.ProcessId}", args[3], "net1"), CancellationToken.None);
                Console.WriteLine(claim.Created ? "created" : "exists " + claim.Reservation.PodRef);

                // Alive until told: a reservation whose creator is gone and that no pool uses counts as abandoned.
                await WaitForAsync(args[4] + ".done");
                return 0;

            // allocate <data_dir> <subnet> <first_pod> <count> <go_file>: parallel ADDs of pods peer<first>..
            case "allocate":
                await WaitForAsync(args[5]);
                var config = new IpamConfig { NetworkName = "peer", CniVersion = "1.0.0", Ranges = [new RangeConfig(Cidr.Parse(args[2]), null, null, [], "range")] };
                var service = new IpamService(store, NullLogger.Instance);
                var first = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
                var addresses = await Task.WhenAll(Enumerable.Range(first, int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)).Select(async n =>
                    (await service.AllocateAsync(new AllocationRequest(config, new AllocationOwner($"c{n}", $"ns/peer{n}", "net1")), CancellationToken.None))[0]));
                Console.WriteLine(string.Join('\n', addresses.Select(a => a.Address)));
                return 0;

            // update <data_dir> <subnet> <podref> <timeout_ms>: one pool write, given up after the timeout
            case "update":
                using (var timeout = new CancellationTokenSource(int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)))
                {
                    var key = PoolKey.For(Cidr.Parse(args[2]), null);
                    try
                    {
                        var snapshot = await store.Pools.GetOrCreateAsync(key, timeout.Token);
                        var written = await store.Pools.TryUpdateAsync(snapshot, PoolChange.Upsert(1, new PoolAllocation("peer", args[3], "net1")), timeout.Token);
                        Console.WriteLine(written ? "updated" : "conflict");
                    }
                    catch (OperationCanceledException)
                    {
                        Console.WriteLine("timeout");
                    }
                }

                return 0;

            default:
                Console.Error.WriteLine($"unknown command {args[0]}");
                return 2;
        }
    }

    private static async Task WaitForAsync(string goFile)
    {
        while (!System.IO.File.Exists(goFile))
        {
            await Task.Delay(1);
        }
    }
}
