namespace Whereabouts.Plugin.Tests.Support;

/// <summary>Paths of the repository and of the published binaries the end-to-end tests run.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string BinDirectory => Path.Combine(Root, "artifacts", "bin");

    /// <summary>The published NativeAOT plugin; the end-to-end tests fail (never skip) when it is missing.</summary>
    public static string Plugin => Published(Path.Combine(BinDirectory, "whereabouts"), "./build.sh");

    /// <summary>The published NativeAOT controller (reconcile, run).</summary>
    public static string Controller => Published(Path.Combine(BinDirectory, "whereabouts-controller"), "./build.sh");

    /// <summary>The plugin built for another runtime identifier (<c>linux-arm64</c>) by <c>./build.sh --arch</c>.</summary>
    public static string PluginFor(string runtimeIdentifier) =>
        Published(Path.Combine(BinDirectory, runtimeIdentifier, "whereabouts"), $"./build.sh --arch {runtimeIdentifier["linux-".Length..]} plugin (./test.sh does)");

    public const string ReferencePlugins = "/usr/lib/cni";

    private static string Published(string path, string command)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} does not exist: run {command} before the end-to-end tests");
        }

        return path;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Whereabouts.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Whereabouts.slnx)");
    }
}
