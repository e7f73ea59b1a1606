namespace Whereabouts.Plugin.Tests.Support;

/// <summary>Paths of the repository and of the published binaries the end-to-end tests run.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string BinDirectory => Path.Combine(Root, "artifacts", "bin");

    /// <summary>The published NativeAOT plugin; the end-to-end tests fail (never skip) when it is missing.</summary>
    public static string Plugin
    {
        get
        {
            var path = Path.Combine(BinDirectory, "whereabouts");
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} does not exist: run ./build.sh before the end-to-end tests");
            }

            return path;
        }
    }

    /// <summary>The published NativeAOT controller (reconcile, run); missing fails the test as for the plugin.</summary>
    public static string Controller
    {
        get
        {
            var path = Path.Combine(BinDirectory, "whereabouts-controller");
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} does not exist: run ./build.sh before the end-to-end tests");
            }

            return path;
        }
    }

    public const string ReferencePlugins = "/usr/lib/cni";

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
