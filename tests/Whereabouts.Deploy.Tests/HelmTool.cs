namespace Whereabouts.Deploy.Tests;

/// <summary>Runs the helm binary that eng/install-test-tools.sh installs, with a private helm home.</summary>
internal sealed class HelmTool(string scratchDirectory)
{
    private readonly Dictionary<string, string> _environment = new()
    {
        ["HELM_CACHE_HOME"] = Path.Combine(scratchDirectory, "helm-cache"),
        ["HELM_CONFIG_HOME"] = Path.Combine(scratchDirectory, "helm-config"),
        ["HELM_DATA_HOME"] = Path.Combine(scratchDirectory, "helm-data"),
    };

    public ProcessResult Lint(string chart, params string[] valuesFiles) =>
        Run(["lint", chart, "--strict", .. ValuesArguments(valuesFiles)]);

    /// <summary>
    /// <c>helm template</c>; <paramref name="releaseNamespace"/> is the namespace helm is told to use,
    /// which the chart must ignore in favour of its <c>namespace</c> value.
    /// </summary>
    public ProcessResult Template(
        string chart,
        string releaseNamespace = "kube-system",
        bool includeCrds = false,
        IEnumerable<string>? valuesFiles = null,
        IEnumerable<string>? setValues = null)
    {
        List<string> arguments = ["template", "whereabouts", chart, "--namespace", releaseNamespace];
        if (includeCrds)
        {
            arguments.Add("--include-crds");
        }

        arguments.AddRange(ValuesArguments(valuesFiles ?? []));
        foreach (var value in setValues ?? [])
        {
            arguments.AddRange(["--set", value]);
        }

        return Run(arguments);
    }

    /// <summary>
    /// <c>helm install --dry-run=client</c>: renders like <c>template</c> without a cluster, and also prints NOTES.txt.
    /// </summary>
    public ProcessResult InstallDryRun(string chart, IEnumerable<string> setValues) =>
        Run(["install", "whereabouts", chart, "--dry-run=client", "--namespace", "kube-system", .. setValues.SelectMany(value => new[] { "--set", value })]);

    public ManifestSet Render(
        string chart,
        string releaseNamespace = "kube-system",
        bool includeCrds = false,
        IEnumerable<string>? valuesFiles = null,
        IEnumerable<string>? setValues = null) =>
        new(Template(chart, releaseNamespace, includeCrds, valuesFiles, setValues).EnsureSuccess().StandardOutput);

    private static IEnumerable<string> ValuesArguments(IEnumerable<string> valuesFiles) =>
        valuesFiles.SelectMany(file => new[] { "--values", file });

    private ProcessResult Run(IEnumerable<string> arguments) =>
        ProcessRunner.Run(RepositoryLayout.Helm, arguments, RepositoryLayout.Root, _environment);
}
