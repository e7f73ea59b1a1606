using System.Globalization;
using System.Text.Json.Nodes;

namespace Whereabouts.Deploy.Tests;

/// <summary>
/// The Carvel/Tanzu package: metadata, values and schema agree with the chart, and the bundle renders
/// the way kapp-controller's helmTemplate step renders it.
/// </summary>
public sealed class CarvelPackageTests(DeployFixture fixture)
{
    private const string RefName = "whereabouts.community.tanzu.vmware.com";

    private static readonly JsonObject Package = YamlJson.LoadFile(RepositoryLayout.CarvelPackage);
    private static readonly JsonObject CarvelValues = YamlJson.LoadFile(RepositoryLayout.CarvelValues);
    private static readonly JsonObject ChartValues = YamlJson.LoadFile(RepositoryLayout.ChartValues);
    private static readonly JsonObject ChartSchema = JsonNode.Parse(File.ReadAllText(RepositoryLayout.ChartValuesSchema))!.AsObject();

    private static JsonObject PackageSchema => Package["spec"]!["valuesSchema"]!["openAPIv3"]!.AsObject();

    [Fact]
    public void Package_NameRefNameAndVersion_FollowTheChart()
    {
        var chart = YamlJson.LoadFile(Path.Combine(RepositoryLayout.Chart, "Chart.yaml"));
        var version = (string)chart["version"]!;
        var metadata = YamlJson.LoadFile(RepositoryLayout.CarvelMetadata);

        Assert.Equal("PackageMetadata", (string?)metadata["kind"]);
        Assert.Equal(RefName, (string?)metadata["metadata"]!["name"]);
        Assert.Equal("Package", (string?)Package["kind"]);
        Assert.Equal("data.packaging.carvel.dev/v1alpha1", (string?)Package["apiVersion"]);
        Assert.Equal(RefName, (string?)Package["spec"]!["refName"]);
        Assert.Equal(version, (string?)Package["spec"]!["version"]);
        Assert.Equal($"{RefName}.{version}", (string?)Package["metadata"]!["name"]);
        Assert.Equal($"{RefName}.{version} values schema", (string?)PackageSchema["title"]);
    }

    [Fact]
    public void Package_Version_IsSemVerAboveTheTanzuCommunityEditionPackage()
    {
        var version = (string)Package["spec"]!["version"]!;

        var match = System.Text.RegularExpressions.Regex.Match(version, @"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$");
        Assert.True(match.Success, $"{version} is not a release semver (MAJOR.MINOR.PATCH)");
        var (major, minor) = (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));

        // kapp-controller refuses a downgrade, so the update from TCE's whereabouts 0.5.x must go up.
        Assert.True(major > 0 || minor > 5, $"{version} is not above 0.5.x: updating a TCE install to it would be a downgrade");
        Assert.Contains($"tanzu package installed update whereabouts --version {version}", File.ReadAllText(RepositoryLayout.CarvelReadme), StringComparison.Ordinal);
    }

    [Fact]
    public void Package_Template_RendersTheBundledChartWithHelmThenYttThenKbldAndDeploysWithKapp()
    {
        var spec = Package["spec"]!["template"]!["spec"]!;
        var steps = spec["template"]!.AsArray();

        Assert.Equal(["helmTemplate", "ytt", "kbld"], steps.Select(step => Assert.Single(step!.AsObject()).Key));
        var helm = steps[0]!["helmTemplate"]!;
        Assert.Equal("config/chart", (string?)helm["path"]);
        Assert.Equal("config/values.yaml", (string?)Assert.Single(helm["valuesFrom"]!.AsArray())!["path"]);

        // kapp-controller adds ytt-paths-from-secret-name overlays to ytt steps only; this one reads the
        // chart's output ("-") and must tolerate Helm's plain "# Source:" comments, which older ytt rejects.
        var ytt = steps[1]!["ytt"]!.AsObject();
        Assert.Equal(["-"], DefaultRenderTests.Strings(ytt["paths"]));
        Assert.True((bool?)ytt["ignoreUnknownComments"], "ytt releases that want '#!' comments reject Helm's '# Source:' comments without ignoreUnknownComments");
        Assert.Equal(["ignoreUnknownComments", "paths"], ytt.Select(p => p.Key).Order(StringComparer.Ordinal));

        Assert.Equal(["-", ".imgpkg/images.yml"], DefaultRenderTests.Strings(steps[2]!["kbld"]!["paths"]));
        Assert.NotNull(Assert.Single(spec["deploy"]!.AsArray())!["kapp"]);
        Assert.NotNull(Assert.Single(spec["fetch"]!.AsArray())!["imgpkgBundle"]!["image"]);

        var bundle = Path.Combine(RepositoryLayout.Carvel, "bundle");
        Assert.True(File.Exists(Path.Combine(bundle, "config", "chart", "Chart.yaml")));
        Assert.True(File.Exists(Path.Combine(bundle, "config", "values.yaml")));
        Assert.True(File.Exists(Path.Combine(bundle, ".imgpkg", "bundle.yml")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KappControllerRender_HelmOutput_HasNoYttAnnotationsForTheYttStepToMisread(bool everythingOn)
    {
        // ytt evaluates "#@" comments as code; the chart's own output must carry none, so the ytt step
        // only applies the user's overlays.
        var render = everythingOn
            ? RenderLikeKappController(fixture.WriteScratchFile("all-on.yaml", OptionalObjectsRenderTests.EverythingOnValues))
            : RenderLikeKappController();

        var offending = render.Yaml.Split('\n').Where(line => line.TrimStart().StartsWith("#@", StringComparison.Ordinal) || line.Contains(" #@", StringComparison.Ordinal));
        Assert.Empty(offending);
    }

    [Fact]
    public void KappControllerRender_YttStepWithTheReadmesOverlay_LabelsTheDaemonSetPodsAndKeepsEverythingElse()
    {
        var ytt = RepositoryLayout.Ytt;
        if (ytt is null)
        {
            Assert.Skip("ytt is not installed (set YTT or put it in .tools/bin); the step's shape is checked by the other tests");
        }

        var render = RenderLikeKappController(fixture.WriteScratchFile("ytt-everything-on.yaml", OptionalObjectsRenderTests.EverythingOnValues));
        var overlay = fixture.WriteScratchFile("label-overlay.yaml", ReadmeOverlay());

        // The arguments kapp-controller gives ytt for this step, plus the overlay secret's file (pathsFrom).
        var step = Package["spec"]!["template"]!["spec"]!["template"]![1]!["ytt"]!;
        List<string> arguments = (bool?)step["ignoreUnknownComments"] == true ? ["--ignore-unknown-comments"] : [];
        arguments.AddRange(DefaultRenderTests.Strings(step["paths"]).SelectMany(path => new[] { "-f", path }));
        arguments.AddRange(["-f", overlay]);
        var output = new ManifestSet(ProcessRunner.Run(ytt, arguments, fixture.ScratchDirectory, standardInput: render.Yaml).EnsureSuccess().StandardOutput);

        Assert.Equal("networking", (string?)output.DaemonSet.Spec["template"]!["metadata"]!["labels"]!["team"]);
        Assert.Equal(render.Objects.Select(o => o.ToString()), output.Objects.Select(o => o.ToString()));
        Assert.All(render.Objects.Where(o => o.Kind != "DaemonSet"), original =>
            Assert.True(JsonNode.DeepEquals(original.Object, output.Objects.Single(o => o.ToString() == original.ToString()).Object), $"ytt changed {original}"));
        var result = ManifestValidator.Validate(output.Yaml);
        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void Readme_DocumentsTheOverlayAnnotationAndTheUpgradeFromTce()
    {
        var text = File.ReadAllText(RepositoryLayout.CarvelReadme);

        Assert.Contains("ext.packaging.carvel.dev/ytt-paths-from-secret-name.0=", text, StringComparison.Ordinal);
        Assert.Contains("Upgrading from the Tanzu Community Edition package (0.5.x)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CarvelValues_HoldExactlyTheSeedOptions()
    {
        Assert.Equal(ValuesOptions.SeedKeys.Order(StringComparer.Ordinal), ValuesOptions.LeafPaths(CarvelValues));
    }

    [Fact]
    public void ChartValues_UseTheSeedOptionNamesWithTheSameDefaults()
    {
        Assert.All(ValuesOptions.SeedKeys, key =>
        {
            Assert.True(ValuesOptions.Has(ChartValues, key), $"chart values.yaml lacks {key}");
            Assert.True(JsonNode.DeepEquals(ValuesOptions.At(CarvelValues, key), ValuesOptions.At(ChartValues, key)), $"{key} differs");
        });
    }

    [Theory]
    [InlineData("chart")]
    [InlineData("package")]
    public void ValuesSchema_DocumentsEveryChartValueWithItsDefault(string schemaSource)
    {
        var options = ValuesOptions.Options(schemaSource == "chart" ? ChartSchema : PackageSchema);

        Assert.All(ValuesOptions.LeafPaths(ChartValues), path =>
            Assert.True(ValuesOptions.OptionFor(path, options) is not null, $"{path} is not in the {schemaSource} values schema"));
        Assert.All(options, option =>
        {
            var (path, schema) = option;
            Assert.False(string.IsNullOrWhiteSpace((string?)schema["description"]), $"{path} has no description");
            Assert.True(schema["type"] is not null, $"{path} has no type");
            if (path == "global")
            {
                return;
            }

            Assert.Equal(ValuesOptions.Has(ChartValues, path), schema.ContainsKey("default"));
            if (schema.ContainsKey("default"))
            {
                Assert.True(
                    JsonNode.DeepEquals(schema["default"], ValuesOptions.At(ChartValues, path)),
                    $"{path}: schema default {schema["default"]?.ToJsonString()} but values.yaml has {ValuesOptions.At(ChartValues, path)?.ToJsonString()}");
            }
        });
    }

    [Fact]
    public void PackageValuesSchema_MatchesTheChartValuesSchema()
    {
        var chart = ValuesOptions.Options(ChartSchema);
        var package = ValuesOptions.Options(PackageSchema);

        Assert.Equal(chart.Keys.Where(k => k != "global"), package.Keys);
        Assert.All(package, option =>
        {
            var (path, schema) = option;
            var helm = chart[path];
            Assert.Equal((string?)helm["description"], (string?)schema["description"]);
            Assert.True(JsonNode.DeepEquals(helm["default"], schema["default"]), $"{path} default differs");
            Assert.True(JsonNode.DeepEquals(helm["enum"], schema["enum"]), $"{path} enum differs");
            var helmTypes = helm["type"] is JsonArray types ? types.Select(t => (string?)t) : [(string?)helm["type"]];
            Assert.Contains((string?)schema["type"], helmTypes);
        });
    }

    [Fact]
    public void Readmes_DocumentEveryOption()
    {
        var options = ValuesOptions.Options(PackageSchema).Keys;
        foreach (var readme in new[] { RepositoryLayout.CarvelReadme, RepositoryLayout.DeployReadme })
        {
            var text = File.ReadAllText(readme);
            Assert.All(options, option => Assert.Contains($"`{option}`", text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void KappControllerRender_PackageValues_DeploysIntoTheNamespaceValueWithCrds()
    {
        var render = RenderLikeKappController();

        DefaultRenderTests.AssertNamespaces(render, "kube-system");
        Assert.Equal(3, render.OfKind("CustomResourceDefinition").Count());
        Assert.Equal("*/5 * * * *", (string?)render.CronJob.Spec["schedule"]);
        DefaultRenderTests.AssertResources(render.DaemonSetPod["containers"]![0]!, "100m", "128Mi", "100m", "64Mi");
        var result = ManifestValidator.Validate(render.Yaml);
        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void KappControllerRender_UserValues_OverrideThePackageDefaults()
    {
        var userValues = fixture.WriteScratchFile("tanzu-values.yaml", """
            namespace: whereabouts
            whereabouts:
              config:
                resources:
                  limits: {cpu: 200m, memory: 100Mi}
            ip_reconciler:
              config:
                schedule: "*/15 * * * *"
                resources:
                  requests: {memory: 96Mi}
            """);

        var render = RenderLikeKappController(userValues);

        DefaultRenderTests.AssertNamespaces(render, "whereabouts");
        DefaultRenderTests.AssertResources(render.DaemonSetPod["containers"]![0]!, "200m", "100Mi", "100m", "64Mi");
        Assert.Equal("*/15 * * * *", (string?)render.CronJob.Spec["schedule"]);
        var requests = render.CronJobPod["containers"]![0]!["resources"]!["requests"]!;
        Assert.Equal("100m", (string?)requests["cpu"]);
        Assert.Equal("96Mi", (string?)requests["memory"]);
        var result = ManifestValidator.Validate(render.Yaml);
        Assert.True(result.ExitCode == 0, result.Describe());
    }

    /// <summary>The overlay of deploy/carvel/README.md's example (the here-document written to label-overlay.yaml).</summary>
    private static string ReadmeOverlay()
    {
        var lines = File.ReadAllLines(RepositoryLayout.CarvelReadme);
        var start = Array.FindIndex(lines, l => l.StartsWith("cat > label-overlay.yaml <<'OVERLAY'", StringComparison.Ordinal));
        Assert.True(start >= 0, "deploy/carvel/README.md lost its overlay example");
        return string.Join('\n', lines.Skip(start + 1).TakeWhile(l => l != "OVERLAY")) + "\n";
    }

    /// <summary>
    /// kapp-controller runs <c>helm template NAME PATH --namespace NS --include-crds</c> with the
    /// package's valuesFrom files and then the PackageInstall's values; NS is the PackageInstall's namespace.
    /// </summary>
    private ManifestSet RenderLikeKappController(params string[] userValues) =>
        fixture.Helm.Render(
            RepositoryLayout.CarvelBundleChart,
            releaseNamespace: "tanzu-package-repo-global",
            includeCrds: true,
            valuesFiles: [RepositoryLayout.CarvelValues, .. userValues]);
}
