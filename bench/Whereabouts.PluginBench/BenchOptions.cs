using System.Globalization;

namespace Whereabouts.PluginBench;

internal sealed record BenchOptions(int Runs, string Plugin, string CniDir, bool ThroughMacvlan)
{
    public static BenchOptions Parse(string[] args)
    {
        var runs = 100;
        var plugin = Path.GetFullPath("artifacts/bin/whereabouts");
        var cniDir = "/usr/lib/cni";
        var macvlan = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--plugin": plugin = Path.GetFullPath(args[++i]); break;
                case "--cni-dir": cniDir = args[++i]; break;
                case "--direct-only": macvlan = false; break;
                default: throw new ArgumentException($"unknown argument {args[i]}; use --runs N --plugin PATH --cni-dir DIR --direct-only");
            }
        }

        return new BenchOptions(runs, plugin, cniDir, macvlan);
    }
}
