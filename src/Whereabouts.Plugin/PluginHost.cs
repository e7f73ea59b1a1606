using System.Reflection;
using Whereabouts.Agent;
using Whereabouts.Cni;
using Whereabouts.Ipam;
using Whereabouts.Plugin.Logging;

namespace Whereabouts.Plugin;

/// <summary>Wires one invocation: logger, datastore factory, plugin, dispatcher. Everything process-wide comes in as arguments.</summary>
internal static class PluginHost
{
    public static async Task<int> RunAsync(
        Func<string, string?> getenv, Stream stdin, Stream stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var time = new OneThreadTimeProvider();
        using var logger = new PluginLogger(stderr, time);
        var plugin = new WhereaboutsPlugin(logger, new StoreFactory(getenv, logger, time), IpamOptions.Default, time);
        var dispatcher = new CniDispatcher(plugin, CniErrorMap.Translate, static () => $"whereabouts {Version} linux/x64");
        return await dispatcher.RunAsync(getenv, stdin, stdout, stderr, cancellationToken);
    }

    private static string Version =>
        typeof(PluginHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
