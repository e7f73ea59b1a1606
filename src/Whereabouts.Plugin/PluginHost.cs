using System.Reflection;
using System.Runtime.InteropServices;
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
        var dispatcher = new CniDispatcher(plugin, CniErrorMap.Translate, static () => About(Version, RuntimeInformation.ProcessArchitecture));
        return await dispatcher.RunAsync(getenv, stdin, stdout, stderr, cancellationToken);
    }

    /// <summary>The about text: the version and the platform the binary runs as, in the runtime identifiers' names.</summary>
    internal static string About(string version, Architecture architecture) => $"whereabouts {version} linux/{Name(architecture)}";

    // Only x64 and arm64 are built (build.sh); anything else is named as .NET names it.
    private static string Name(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        _ => architecture.ToString(),
    };

    private static string Version =>
        typeof(PluginHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
