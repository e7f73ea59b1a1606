namespace Whereabouts.Deploy.Tests;

/// <summary>
/// The chart is the one template source and deploy/crds the one CRD source; every copy of them must
/// be what the sync and render scripts produce.
/// </summary>
public sealed class DriftTests(DeployFixture fixture)
{
    [Fact]
    public void ChartCrds_MatchDeployCrds()
    {
        Assert.True(Directory.Exists(RepositoryLayout.Crds), $"{RepositoryLayout.Crds} is missing.");

        AssertSameFiles(RepositoryLayout.Crds, RepositoryLayout.ChartCrds, "deploy/sync-crds.sh", "*.yaml");
    }

    [Fact]
    public void CarvelBundleChart_MatchesHelmChart()
    {
        AssertSameFiles(RepositoryLayout.Chart, RepositoryLayout.CarvelBundleChart, "deploy/carvel/sync-bundle.sh");
    }

    [Fact]
    public void PlainManifests_MatchAFreshRenderOfTheChart()
    {
        var output = Path.Combine(fixture.ScratchDirectory, "whereabouts.yaml");

        ProcessRunner.Run("bash", [RepositoryLayout.RenderManifestsScript, output], RepositoryLayout.Root).EnsureSuccess();

        Assert.True(
            File.ReadAllText(output) == File.ReadAllText(RepositoryLayout.Manifests),
            "deploy/manifests/whereabouts.yaml is stale: run deploy/render-manifests.sh.");
    }

    [Fact]
    public void PlainManifests_LeaveTheCrdsToDeployCrds()
    {
        var manifests = new ManifestSet(File.ReadAllText(RepositoryLayout.Manifests));

        Assert.Empty(manifests.OfKind("CustomResourceDefinition"));
        Assert.Equal(fixture.DefaultRender.Objects.Select(o => o.ToString()), manifests.Objects.Select(o => o.ToString()));
    }

    [Fact]
    public void Validate_PlainManifestsWithDeployCrds_HasNoProblems()
    {
        var crds = Directory.GetFiles(RepositoryLayout.Crds, "*.yaml").Order(StringComparer.Ordinal);

        var result = ManifestValidator.ValidateFiles([.. crds, RepositoryLayout.Manifests]);

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    private static void AssertSameFiles(string source, string copy, string syncScript, string pattern = "*")
    {
        var expected = RelativeFiles(source, pattern);
        var actual = Directory.Exists(copy) ? RelativeFiles(copy, "*") : [];

        Assert.True(expected.SequenceEqual(actual), $"{copy} does not list the files of {source}: run {syncScript}.");
        Assert.All(expected, file => Assert.True(
            File.ReadAllBytes(Path.Combine(source, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(copy, file))),
            $"{Path.Combine(copy, file)} differs from {Path.Combine(source, file)}: run {syncScript}."));
    }

    private static string[] RelativeFiles(string directory, string pattern) =>
        [.. Directory.GetFiles(directory, pattern, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f))
            .Order(StringComparer.Ordinal)];
}
