using System.Globalization;

namespace Whereabouts.StoreBench;

/// <summary>What the store benchmark runs; the defaults are the node agent's target (issue 12): 1,000 pods, 10 nodes, 10 in flight per node, 5 ms per write.</summary>
internal sealed record StoreBenchOptions
{
    public const string Usage =
        "usage: Whereabouts.StoreBench [--pods N] [--nodes N] [--per-node N] [--write-latency-ms N] [--memory N]\n" +
        "  --memory N: instead, the resident memory of a process whose shared store caches N allocations (and N reservations)";

    public int Pods { get; init; } = 1000;

    public int Nodes { get; init; } = 10;

    /// <summary>Allocations in flight at once on one node.</summary>
    public int PerNode { get; init; } = 10;

    /// <summary>Added to every write the API server answers, as etcd's commit latency.</summary>
    public int WriteLatencyMs { get; init; } = 5;

    /// <summary>When set, measure memory with this many cached allocations instead of running the burst.</summary>
    public int? MemoryAllocations { get; init; }

    /// <summary>Set in the child process of the memory measurement: the kubeconfig to open.</summary>
    public string? MemoryChildKubeconfig { get; init; }

    public static bool TryParse(string[] args, out StoreBenchOptions options, out string? error)
    {
        options = new StoreBenchOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            if (name == MemoryProbe.ChildFlag)
            {
                options = options with { MemoryChildKubeconfig = value };
                continue;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || (number < 1 && name != "--write-latency-ms"))
            {
                error = $"{name} needs a whole number, not '{value}'";
                return false;
            }

            switch (name)
            {
                case "--pods":
                    options = options with { Pods = number };
                    break;
                case "--nodes":
                    options = options with { Nodes = number };
                    break;
                case "--per-node":
                    options = options with { PerNode = number };
                    break;
                case "--write-latency-ms":
                    options = options with { WriteLatencyMs = number };
                    break;
                case "--memory":
                    options = options with { MemoryAllocations = number };
                    break;
                default:
                    error = $"unknown option {name}";
                    return false;
            }
        }

        return true;
    }
}
