using System.Globalization;

namespace Whereabouts.PluginBench;

/// <param name="Baseline">Another build of the plugin, measured in the same run (it must be named whereabouts, as macvlan calls it so).</param>
/// <param name="Controller">With <c>--agent</c>: the published controller, run as a node agent; whereabouts is then measured in agent mode too.</param>
internal sealed record BenchOptions(int Runs, string Plugin, string CniDir, bool ThroughMacvlan, string? Baseline, string? Controller = null)
{
    public static BenchOptions Parse(string[] args)
    {
        var runs = 100;
        var plugin = Path.GetFullPath("artifacts/bin/whereabouts");
        var cniDir = "/usr/lib/cni";
        var macvlan = true;
        string? baseline = null;
        string? controller = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--plugin": plugin = Path.GetFullPath(args[++i]); break;
                case "--cni-dir": cniDir = args[++i]; break;
                case "--direct-only": macvlan = false; break;
                case "--baseline": baseline = Path.GetFullPath(args[++i]); break;
                case "--agent": controller = Path.GetFullPath(args[++i]); break;
                default: throw new ArgumentException($"unknown argument {args[i]}; use --runs N --plugin PATH --baseline PATH --cni-dir DIR --direct-only --agent CONTROLLER");
            }
        }

        if (baseline is not null && Path.GetFileName(baseline) != "whereabouts")
        {
            throw new ArgumentException($"--baseline {baseline}: name the binary whereabouts, in a directory of its own");
        }

        return new BenchOptions(runs, plugin, cniDir, macvlan, baseline, controller);
    }
}
