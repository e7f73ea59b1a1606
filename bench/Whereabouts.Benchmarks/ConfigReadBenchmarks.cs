using System.Text;
using BenchmarkDotNet.Attributes;
using Whereabouts.Core.Config;

namespace Whereabouts.Benchmarks;

/// <summary>Reading a NetworkAttachmentDefinition's config, with the flat file install-cni writes.</summary>
[MemoryDiagnoser]
public class ConfigReadBenchmarks
{
    // The package documentation's example.
    private static readonly byte[] Ipvlan = Encoding.UTF8.GetBytes("""
        {
            "cniVersion": "0.3.0",
            "name": "ipvlan-conf-1",
            "type": "ipvlan",
            "master": "eth0",
            "mode": "bridge",
            "ipam": {
                "type": "whereabouts",
                "range": "192.168.20.0/24",
                "gateway": "192.168.20.1",
                "range_start": "192.168.20.2",
                "range_end": "192.168.20.100"
            }
        }
        """);

    private static readonly byte[] DualStack = Encoding.UTF8.GetBytes("""
        {
            "cniVersion": "1.0.0",
            "name": "dual-stack",
            "type": "macvlan",
            "master": "eth0",
            "mode": "bridge",
            "ipam": {
                "type": "whereabouts",
                "network_name": "storage",
                "ipRanges": [
                    { "range": "192.168.10.0/24", "range_start": "192.168.10.10", "exclude": ["192.168.10.0/28", "192.168.10.200"] },
                    { "range": "fd00:10::/64", "exclude": ["fd00:10::/120"] }
                ],
                "routes": [{ "dst": "0.0.0.0/0", "gw": "192.168.10.1" }, { "dst": "::/0", "gw": "fd00:10::1" }],
                "dns": { "nameservers": ["192.168.10.2"], "search": ["storage.local"] }
            }
        }
        """);

    private static readonly byte[] FlatFile = Encoding.UTF8.GetBytes("""
        {
          "datastore": "kubernetes",
          "kubernetes": { "kubeconfig": "/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig" },
          "reconciler_cron_expression": "30 4 * * *"
        }
        """);

    private static readonly IpamConfigReadOptions Options = new()
    {
        FlatFiles = path => path == IpamConfigReader.DefaultFlatFilePaths[1] ? FlatFileLookup.Found(FlatFile) : FlatFileLookup.NotFound,
    };

    [GlobalSetup]
    public void Setup()
    {
        foreach (var config in new[] { Ipvlan, DualStack })
        {
            var result = IpamConfigReader.Read(config, Options);
            if (result.Config is null)
            {
                throw new InvalidOperationException(result.ErrorSummary);
            }
        }
    }

    [Benchmark]
    public IpamConfigReadResult ReadIpvlanNad() => IpamConfigReader.Read(Ipvlan, Options);

    [Benchmark]
    public IpamConfigReadResult ReadDualStackIpRanges() => IpamConfigReader.Read(DualStack, Options);
}
