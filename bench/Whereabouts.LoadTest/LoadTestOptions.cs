using System.Globalization;

namespace Whereabouts.LoadTest;

/// <summary>What the load test runs: the defaults are Spiderpool's benchmark (1000 pods on 10 nodes, as many IPs as pods).</summary>
internal sealed record LoadTestOptions
{
    public const string Usage =
        "usage: Whereabouts.LoadTest [--pods N] [--nodes N] [--per-node N] [--write-latency-ms N] [--slice-size N] [--plugin PATH] [--mode direct|agent] [--controller PATH] [--agent-memory N]";

    public int Pods { get; init; } = 1000;

    public int Nodes { get; init; } = 10;

    /// <summary>CNI calls in flight at once on one node (a kubelet creates sandboxes in parallel, but not unboundedly).</summary>
    public int PerNode { get; init; } = 10;

    /// <summary>Added to every write the API server answers, as etcd's commit latency.</summary>
    public int WriteLatencyMs { get; init; } = 5;

    /// <summary>
    /// <c>node_slice_size</c> as a prefix length: the range becomes a /20 cut into slices of this size, one assigned to
    /// each node in a NodeSlicePool made up front (as the slice controller would); null runs without slices.
    /// </summary>
    public int? SliceSize { get; init; }

    /// <summary>The published plugin; null finds artifacts/bin/whereabouts above the program.</summary>
    public string? Plugin { get; init; }

    /// <summary>Agent mode: one node agent per simulated node (the published controller), and the plugin asks it.</summary>
    public bool Agent { get; init; }

    /// <summary>The published controller for agent mode; null finds artifacts/bin/whereabouts-controller above the program.</summary>
    public string? Controller { get; init; }

    /// <summary>
    /// Instead of the rounds: one node agent over a pool of this many allocations (each with its reservation), its
    /// resident memory once its caches hold them all, and again after 100 ADDs and DELs through it.
    /// </summary>
    public int? AgentMemory { get; init; }

    public static bool TryParse(string[] args, out LoadTestOptions options, out string? error)
    {
        options = new LoadTestOptions();
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
            switch (name)
            {
                case "--plugin":
                    options = options with { Plugin = value };
                    continue;
                case "--controller":
                    options = options with { Controller = value };
                    continue;
                case "--mode" when value is "direct" or "agent":
                    options = options with { Agent = value == "agent" };
                    continue;
                case "--mode":
                    error = $"--mode is direct or agent, not '{value}'";
                    return false;
                case "--pods" or "--nodes" or "--per-node" or "--write-latency-ms" or "--slice-size" or "--agent-memory":
                    break;
                default:
                    error = $"unknown option {name}";
                    return false;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || (number < 1 && name != "--write-latency-ms"))
            {
                error = $"{name} needs a whole number{(name == "--write-latency-ms" ? string.Empty : " above 0")}, not '{value}'";
                return false;
            }

            options = name switch
            {
                "--pods" => options with { Pods = number },
                "--nodes" => options with { Nodes = number },
                "--per-node" => options with { PerNode = number },
                "--slice-size" => options with { SliceSize = number },
                "--agent-memory" => options with { AgentMemory = number },
                _ => options with { WriteLatencyMs = number },
            };
        }

        return true;
    }
}
