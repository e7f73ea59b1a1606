namespace Whereabouts.Deploy.Tests;

/// <summary>Paths of the deployment sources, found from the repository root.</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Crds => Path.Combine(Deploy, "crds");

    public static string Chart => Path.Combine(Deploy, "helm", "whereabouts");

    public static string ChartCrds => Path.Combine(Chart, "crds");

    public static string ChartValues => Path.Combine(Chart, "values.yaml");

    public static string ChartValuesSchema => Path.Combine(Chart, "values.schema.json");

    public static string Manifests => Path.Combine(Deploy, "manifests", "whereabouts.yaml");

    public static string RenderManifestsScript => Path.Combine(Deploy, "render-manifests.sh");

    public static string Carvel => Path.Combine(Deploy, "carvel");

    public static string CarvelBundleChart => Path.Combine(Carvel, "bundle", "config", "chart");

    public static string CarvelValues => Path.Combine(Carvel, "bundle", "config", "values.yaml");

    public static string CarvelPackage => Path.Combine(Carvel, "package.yaml");

    public static string CarvelMetadata => Path.Combine(Carvel, "metadata.yaml");

    public static string CarvelReadme => Path.Combine(Carvel, "README.md");

    public static string DeployReadme => Path.Combine(Deploy, "README.md");

    public static string ValidateScript => Path.Combine(Deploy, "test", "validate.mjs");

    public static string ExampleResources => Path.Combine(Deploy, "test", "examples");

    public static string Helm => RequireTool(Path.Combine(Root, ".tools", "bin", "helm"));

    /// <summary>
    /// ytt, which no package registry this project uses ships: <c>$YTT</c>, <c>.tools/bin/ytt</c> or the PATH; null when absent.
    /// </summary>
    public static string? Ytt =>
        new[] { Environment.GetEnvironmentVariable("YTT"), Path.Combine(Root, ".tools", "bin", "ytt") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "ytt")))
            .FirstOrDefault(File.Exists);

    public static string NodeModules => RequireTool(Path.Combine(Deploy, "test", "node_modules", "kubernetes-models"));

    private static string RequireTool(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: run eng/install-test-tools.sh (it installs helm, kubectl and the node validators).");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Whereabouts.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Whereabouts.slnx above {AppContext.BaseDirectory}.");
    }
}
