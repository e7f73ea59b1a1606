using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Whereabouts.Deploy.Tests.DefaultRenderTests;

namespace Whereabouts.Deploy.Tests;

/// <summary>
/// Objects the chart renders only when asked: the Namespace and the monitoring objects (ServiceMonitor
/// with its Service, PrometheusRule, Grafana dashboard), each off by default.
/// </summary>
public sealed partial class OptionalObjectsRenderTests(DeployFixture fixture)
{
    /// <summary>Every optional object switched on, in a namespace of its own.</summary>
    internal const string EverythingOnValues = """
        namespace: whereabouts-system
        createNamespace: true
        metrics:
          serviceMonitor:
            enabled: true
            interval: 15s
            scrapeTimeout: 5s
            labels: {release: kube-prometheus-stack}
          prometheusRule:
            enabled: true
            labels: {release: kube-prometheus-stack}
            poolUsageThreshold: 0.85
            apiErrorsPerSecond: 0.5
          grafanaDashboard:
            enabled: true
        """;

    /// <summary>
    /// Metrics the controller, the IPAM library and the plugin publish (src/Whereabouts.Controller/Metrics/README.md
    /// and the contract of issue 15), plus the series Prometheus and kube-state-metrics add.
    /// </summary>
    private static readonly HashSet<string> KnownMetrics =
    [
        "whereabouts_pool_usage_ratio",
        "whereabouts_allocations_free",
        "whereabouts_ipam_allocations_free",
        "whereabouts_leaks_found_total",
        "whereabouts_leaks_released_total",
        "whereabouts_api_errors_total",
        "whereabouts_add_duration_seconds",
        "whereabouts_del_duration_seconds",
        "up",
        "kube_daemonset_status_number_unavailable",
    ];

    private static readonly string[] OptionalKinds = ["ConfigMap", "Namespace", "PrometheusRule", "Service", "ServiceMonitor"];

    private ManifestSet? _everythingOn;

    private ManifestSet EverythingOn => _everythingOn ??= fixture.Helm.Render(
        RepositoryLayout.Chart,
        releaseNamespace: "release-namespace",
        includeCrds: true,
        valuesFiles: [fixture.WriteScratchFile("everything-on.yaml", EverythingOnValues)]);

    [Fact]
    public void HelmLint_EverythingOn_Passes()
    {
        var result = fixture.Helm.Lint(RepositoryLayout.Chart, fixture.WriteScratchFile("lint-everything-on.yaml", EverythingOnValues));

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void Render_DefaultValues_HasNoNamespaceAndNoMonitoringObjects()
    {
        Assert.Empty(fixture.DefaultRender.Objects.Select(o => o.Kind).Intersect(OptionalKinds));
    }

    [Fact]
    public void Render_CreateNamespace_RendersTheNamespaceValueForPrivilegedPods()
    {
        var ns = EverythingOn.Single("Namespace", "whereabouts-system");

        Assert.Null(ns.Namespace);
        Assert.Equal("privileged", (string?)ns.Object["metadata"]!["labels"]!["pod-security.kubernetes.io/enforce"]);
        AssertNamespaces(EverythingOn, "whereabouts-system");
        Assert.DoesNotContain("release-namespace", EverythingOn.Yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("createNamespace=true", "namespace=kube-system", "createNamespace")]
    [InlineData("createNamespace=true", "namespace=default", "createNamespace")]
    [InlineData("metrics.serviceMonitor.enabled=true", "metrics.bindAddress=127.0.0.1", "kube-rbac-proxy")]
    [InlineData("metrics.serviceMonitor.enabled=true", "metrics.bindAddress=::1", "kube-rbac-proxy")]
    public void Render_ContradictoryValues_FailsNamingTheWayOut(string first, string second, string named)
    {
        // A Namespace that always exists cannot belong to the release; Prometheus cannot scrape loopback.
        var result = fixture.Helm.Template(RepositoryLayout.Chart, setValues: [first, second]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_CreateNamespaceOffAndANamespaceOfItsOwn_SayHowToCreateIt()
    {
        var result = fixture.Helm.InstallDryRun(RepositoryLayout.Chart, ["namespace=whereabouts-system"]).EnsureSuccess();

        Assert.Contains("kubectl create namespace whereabouts-system", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--set createNamespace=true", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceMonitor_ScrapesTheDaemonSetPodsThroughAHeadlessService()
    {
        var service = EverythingOn.Single("Service", "whereabouts-metrics");
        var monitor = EverythingOn.Single("ServiceMonitor", "whereabouts");

        Assert.Equal("monitoring.coreos.com/v1", monitor.ApiVersion);
        Assert.Equal("None", (string?)service.Spec["clusterIP"]);
        Assert.True(JsonNode.DeepEquals(EverythingOn.DaemonSet.Spec["selector"]!["matchLabels"], service.Spec["selector"]));
        var servicePort = Assert.Single(service.Spec["ports"]!.AsArray())!;
        Assert.Equal("metrics", (string?)servicePort["name"]);
        Assert.Equal("metrics", (string?)servicePort["targetPort"]);

        var serviceLabels = service.Object["metadata"]!["labels"]!.AsObject();
        Assert.All(monitor.Spec["selector"]!["matchLabels"]!.AsObject(), label =>
            Assert.Equal((string?)label.Value, (string?)serviceLabels[label.Key]));
        Assert.Equal(["whereabouts-system"], Strings(monitor.Spec["namespaceSelector"]!["matchNames"]));
        Assert.Equal("whereabouts", (string?)serviceLabels[(string)monitor.Spec["jobLabel"]!]);
        var endpoint = Assert.Single(monitor.Spec["endpoints"]!.AsArray())!;
        Assert.Equal("metrics", (string?)endpoint["port"]);
        Assert.Equal("15s", (string?)endpoint["interval"]);
        Assert.Equal("5s", (string?)endpoint["scrapeTimeout"]);
        Assert.Equal("kube-prometheus-stack", (string?)monitor.Object["metadata"]!["labels"]!["release"]);
    }

    [Fact]
    public void PrometheusRule_AlertsOnFullPoolsRecurringLeaksApiErrorsAndDownNodes()
    {
        var rule = EverythingOn.Single("PrometheusRule", "whereabouts");
        var rules = Assert.Single(rule.Spec["groups"]!.AsArray())!["rules"]!.AsArray().ToDictionary(r => (string)r!["alert"]!, r => r!);

        Assert.Equal(
            ["WhereaboutsApiErrors", "WhereaboutsDaemonSetUnavailable", "WhereaboutsLeaksKeepComingBack", "WhereaboutsMetricsAbsent", "WhereaboutsNodeControllerDown", "WhereaboutsPoolNearlyFull"],
            rules.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("max by (namespace, pool) (whereabouts_pool_usage_ratio) > 0.85", (string?)rules["WhereaboutsPoolNearlyFull"]["expr"]);
        Assert.Contains("More than 85% ", (string?)rules["WhereaboutsPoolNearlyFull"]["annotations"]!["description"], StringComparison.Ordinal);
        Assert.Contains("whereabouts_leaks_found_total", (string?)rules["WhereaboutsLeaksKeepComingBack"]["expr"], StringComparison.Ordinal);
        Assert.EndsWith("> 0.5", (string?)rules["WhereaboutsApiErrors"]["expr"], StringComparison.Ordinal);
        Assert.Equal("up{job=\"whereabouts\", namespace=\"whereabouts-system\"} == 0", (string?)rules["WhereaboutsNodeControllerDown"]["expr"]);
        Assert.Contains("namespace=\"whereabouts-system\", daemonset=\"whereabouts\"", (string?)rules["WhereaboutsDaemonSetUnavailable"]["expr"], StringComparison.Ordinal);
        Assert.All(rules.Values, r =>
        {
            Assert.NotNull(r["for"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)r["annotations"]!["summary"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)r["annotations"]!["description"]));
        });
        Assert.Equal("kube-prometheus-stack", (string?)rule.Object["metadata"]!["labels"]!["release"]);
    }

    [Fact]
    public void GrafanaDashboard_IsTheChartsDashboardJsonInALabelledConfigMap()
    {
        var configMap = EverythingOn.Single("ConfigMap", "whereabouts-dashboard");
        var json = (string)configMap.Object["data"]!["whereabouts.json"]!;

        Assert.Equal("1", (string?)configMap.Object["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryLayout.Chart, "dashboards", "whereabouts.json")).TrimEnd('\n'), json);
        var titles = JsonNode.Parse(json)!["panels"]!.AsArray().Select(p => (string)p!["title"]!).ToHashSet();
        Assert.Superset(new HashSet<string>(["Pool usage", "ADD / DEL rate", "ADD / DEL latency", "Leaks found and released", "Kubernetes API errors"]), titles);
    }

    [Fact]
    public void GrafanaDashboard_OtherNamespace_PutsOnlyTheConfigMapThere()
    {
        var render = fixture.Helm.Render(RepositoryLayout.Chart, setValues: ["metrics.grafanaDashboard.enabled=true", "metrics.grafanaDashboard.namespace=monitoring"]);

        Assert.Equal("monitoring", render.Single("ConfigMap", "whereabouts-dashboard").Namespace);
        Assert.Equal("kube-system", render.DaemonSet.Namespace);
    }

    [Fact]
    public void MonitoringQueries_UseOnlyMetricsThatExist()
    {
        var rule = EverythingOn.Single("PrometheusRule", "whereabouts");
        var dashboard = JsonNode.Parse((string)EverythingOn.Single("ConfigMap", "whereabouts-dashboard").Object["data"]!["whereabouts.json"]!)!;
        var expressions = rule.Spec["groups"]![0]!["rules"]!.AsArray().Select(r => (string)r!["expr"]!)
            .Concat(dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t => (string)t!["expr"]!)))
            .Concat(dashboard["templating"]!["list"]!.AsArray().Select(v => (string?)v!["definition"]).OfType<string>())
            .ToList();

        var used = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value))
            .Select(name => HistogramSuffix().Replace(name, string.Empty))
            .ToHashSet();

        Assert.Empty(used.Except(KnownMetrics));
        Assert.Superset(new HashSet<string>(["whereabouts_pool_usage_ratio", "whereabouts_leaks_found_total", "whereabouts_leaks_released_total", "whereabouts_api_errors_total", "whereabouts_add_duration_seconds", "whereabouts_del_duration_seconds"]), used);
    }

    [Fact]
    public void Validate_EverythingOn_HasNoProblems()
    {
        var result = ManifestValidator.Validate(EverythingOn.Yaml);

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void KappControllerRender_EverythingOn_Validates()
    {
        var render = fixture.Helm.Render(
            RepositoryLayout.CarvelBundleChart,
            releaseNamespace: "tanzu-package-repo-global",
            includeCrds: true,
            valuesFiles: [RepositoryLayout.CarvelValues, fixture.WriteScratchFile("tanzu-everything-on.yaml", EverythingOnValues)]);

        Assert.Equal(OptionalKinds, render.Objects.Select(o => o.Kind).Intersect(OptionalKinds).Order(StringComparer.Ordinal));
        var result = ManifestValidator.Validate(render.Yaml);
        Assert.True(result.ExitCode == 0, result.Describe());
    }

    // Metric names in PromQL: whereabouts_*, plus the two non-whereabouts series the rules read.
    [GeneratedRegex(@"\bwhereabouts_[a-z_]+|\bup\b(?=\{)|\bkube_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
