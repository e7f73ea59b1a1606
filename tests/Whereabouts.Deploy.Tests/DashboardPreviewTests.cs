using System.Text.Json.Nodes;

namespace Whereabouts.Deploy.Tests;

/// <summary>
/// docs/images/grafana-dashboard.png is drawn from the chart's dashboard by eng/dashboard-preview; the
/// drawing step must keep up with the dashboard (every panel drawn, the sample-data notice shown).
/// </summary>
public sealed class DashboardPreviewTests
{
    private static string Dashboard => Path.Combine(RepositoryLayout.Chart, "dashboards", "whereabouts.json");

    [Fact]
    public void PreviewHtml_DrawsEveryPanelOfTheDashboardAndSaysTheDataIsSample()
    {
        var result = ProcessRunner.Run(
            "node",
            [Path.Combine(RepositoryLayout.Root, "eng", "dashboard-preview", "render-html.mjs"), Dashboard],
            RepositoryLayout.Root).EnsureSuccess();

        var panels = JsonNode.Parse(File.ReadAllText(Dashboard))!["panels"]!.AsArray();
        Assert.All(panels, panel => Assert.Contains($"<h2>{panel!["title"]}</h2>", result.StandardOutput, StringComparison.Ordinal));
        Assert.Contains("SAMPLE DATA", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Picture_IsCommittedAndShownInTheReadmeAndTheMonitoringDocs()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryLayout.Root, "docs", "images", "grafana-dashboard.png")));
        Assert.All(new[] { Path.Combine("docs", "monitoring.md"), "README.md" }, document =>
        {
            var text = File.ReadAllText(Path.Combine(RepositoryLayout.Root, document));
            Assert.Contains("images/grafana-dashboard.png", text, StringComparison.Ordinal);
            Assert.Contains("sample data", text, StringComparison.OrdinalIgnoreCase);
        });
    }
}
