using static Whereabouts.Deploy.Tests.DefaultRenderTests;

namespace Whereabouts.Deploy.Tests;

/// <summary>The chart rendered with an operator's values: every option must reach the objects.</summary>
public sealed class CustomValuesRenderTests(DeployFixture fixture)
{
    private const string CustomValues = """
        namespace: whereabouts-system
        whereabouts:
          config:
            resources:
              limits: {cpu: 250m, memory: 128Mi}
              requests: {cpu: 20m, memory: 32Mi}
            reconcileSchedule: "*/10 * * * *"
        ip_reconciler:
          config:
            schedule: "0 3 * * *"
            activeDeadlineSeconds: 600
            resources:
              requests: {cpu: 50m, memory: 40Mi}
              limits: {memory: 80Mi}
        image:
          repository: registry.example.test/mirror/whereabouts
          tag: 1.2.3
          pullPolicy: Always
        imagePullSecrets:
          - name: regcred
        logLevel: debug
        metrics:
          port: 9500
        cniConf:
          binDir: /var/lib/cni/bin
          confDir: /var/lib/cni/net.d/
        agent:
          socketDir: /var/run/wb/
        priorityClassName: ""
        podAnnotations:
          prometheus.io/scrape: "true"
        podLabels:
          team: network
        serviceAccount:
          name: wb
        """;

    private ManifestSet? _render;

    private ManifestSet Render => _render ??= fixture.Helm.Render(
        RepositoryLayout.Chart,
        releaseNamespace: "release-namespace",
        includeCrds: true,
        valuesFiles: [fixture.WriteScratchFile("custom-values.yaml", CustomValues)]);

    [Fact]
    public void HelmLint_CustomValues_Passes()
    {
        var result = fixture.Helm.Lint(RepositoryLayout.Chart, fixture.WriteScratchFile("lint-values.yaml", CustomValues));

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void Render_CustomNamespace_AppliesToEveryNamespacedObjectAndNotTheReleaseNamespace()
    {
        AssertNamespaces(Render, "whereabouts-system");
        Assert.DoesNotContain("release-namespace", Render.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CustomResources_ReachBothDaemonSetContainersAndTheCronJob()
    {
        AssertResources(Render.DaemonSetPod["initContainers"]![0]!, "250m", "128Mi", "20m", "32Mi");
        AssertResources(Render.DaemonSetPod["containers"]![0]!, "250m", "128Mi", "20m", "32Mi");

        var reconciler = Render.CronJobPod["containers"]![0]!["resources"]!;
        Assert.Equal("50m", (string?)reconciler["requests"]!["cpu"]);
        Assert.Equal("40Mi", (string?)reconciler["requests"]!["memory"]);
        Assert.Equal("80Mi", (string?)reconciler["limits"]!["memory"]);
    }

    [Fact]
    public void Render_CustomSchedules_ReachTheCronJobAndTheController()
    {
        Assert.Equal("0 3 * * *", (string?)Render.CronJob.Spec["schedule"]);
        Assert.Equal(600, (int)Render.CronJob.Spec["jobTemplate"]!["spec"]!["activeDeadlineSeconds"]!);
        var controllerArgs = Strings(Render.DaemonSetPod["containers"]![0]!["args"]);
        Assert.Contains("--reconcile-schedule=*/10 * * * *", controllerArgs);
        Assert.Contains("--metrics-port=9500", controllerArgs);
        Assert.Contains("--log-level=debug", controllerArgs);
        Assert.Equal(9500, (int)Render.DaemonSetPod["containers"]![0]!["ports"]![0]!["containerPort"]!);
    }

    [Fact]
    public void Render_ImageOverride_AppliesToEveryContainer()
    {
        var containers = Render.DaemonSetPod["initContainers"]!.AsArray()
            .Concat(Render.DaemonSetPod["containers"]!.AsArray())
            .Concat(Render.CronJobPod["containers"]!.AsArray());

        Assert.All(containers, c =>
        {
            Assert.Equal("registry.example.test/mirror/whereabouts:1.2.3", (string?)c!["image"]);
            Assert.Equal("Always", (string?)c["imagePullPolicy"]);
        });
        Assert.Equal("regcred", (string?)Render.DaemonSetPod["imagePullSecrets"]![0]!["name"]);
        Assert.Equal("regcred", (string?)Render.CronJobPod["imagePullSecrets"]![0]!["name"]);
    }

    [Fact]
    public void Render_CustomHostDirectoriesAndServiceAccount_AreUsed()
    {
        var hostPaths = Render.DaemonSetPod["volumes"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => (string)v!["hostPath"]!["path"]!);
        Assert.Equal("/var/lib/cni/bin", hostPaths["cni-bin-dir"]);
        Assert.Equal("/var/lib/cni/net.d/", hostPaths["cni-net-dir"]);
        Assert.Equal("/var/lib/cni/net.d/whereabouts.d", hostPaths["whereabouts-conf-dir"]);
        Assert.Equal("/var/run/wb", hostPaths["agent-socket-dir"]);
        Assert.Contains("--agent-socket=/var/run/wb/agent.sock", Strings(Render.DaemonSetPod["containers"]![0]!["args"]));
        Assert.Contains("--agent-socket=/var/run/wb/agent.sock", Strings(Render.DaemonSetPod["initContainers"]![0]!["args"]));

        Render.Single("ServiceAccount", "wb");
        Assert.Equal("wb", (string?)Render.DaemonSetPod["serviceAccountName"]);
        Assert.Equal("wb", (string?)Render.CronJobPod["serviceAccountName"]);
        Assert.Equal("wb", (string?)Render.Single("ClusterRoleBinding", "whereabouts").Object["subjects"]![0]!["name"]);
        Assert.Null(Render.DaemonSetPod["priorityClassName"]);
    }

    [Fact]
    public void Render_AgentDisabled_NoSocketFlagsNoMount()
    {
        var render = fixture.Helm.Render(
            RepositoryLayout.Chart,
            releaseNamespace: "release-namespace",
            includeCrds: false,
            valuesFiles: [fixture.WriteScratchFile("agent-off.yaml", "agent: {enabled: false}\n")]);

        var pod = render.DaemonSetPod;
        var args = Strings(pod["containers"]![0]!["args"]).Concat(Strings(pod["initContainers"]![0]!["args"]));
        Assert.DoesNotContain(args, static a => a.StartsWith("--agent-socket", StringComparison.Ordinal));
        Assert.DoesNotContain(pod["volumes"]!.AsArray(), static v => (string?)v!["name"] == "agent-socket-dir");
    }

    [Fact]
    public void Render_PodLabelsAndAnnotations_ReachDaemonSetAndCronJobPods()
    {
        var daemonSetPod = Render.DaemonSet.Spec["template"]!["metadata"]!;
        var cronJobPod = Render.CronJob.Spec["jobTemplate"]!["spec"]!["template"]!["metadata"]!;

        Assert.All(new[] { daemonSetPod, cronJobPod }, metadata =>
        {
            Assert.Equal("network", (string?)metadata["labels"]!["team"]);
            Assert.Equal("true", (string?)metadata["annotations"]!["prometheus.io/scrape"]);
        });
    }

    [Fact]
    public void Validate_CustomRender_HasNoProblems()
    {
        var result = ManifestValidator.Validate(Render.Yaml);

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void Render_ReconcilerDisabledAndNoRbacOrServiceAccount_LeavesThemOut()
    {
        var render = fixture.Helm.Render(
            RepositoryLayout.Chart,
            setValues: ["ip_reconciler.config.enabled=false", "rbac.create=false", "serviceAccount.create=false"]);

        Assert.Equal(["DaemonSet"], render.Objects.Select(o => o.Kind));
        Assert.Equal("whereabouts", (string?)render.DaemonSetPod["serviceAccountName"]);
    }

    [Theory]
    [InlineData("ip_reconciler.config.shedule=0 * * * *", "shedule")]
    [InlineData("logLevel=info", "logLevel")]
    [InlineData("namespace=Kube_System", "namespace")]
    [InlineData("ip_reconciler.config.schedule=every five minutes", "schedule")]
    [InlineData("metrics.port=70000", "port")]
    public void Render_InvalidValue_IsRejectedByTheValuesSchema(string setValue, string reported)
    {
        var result = fixture.Helm.Template(RepositoryLayout.Chart, setValues: [setValue]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reported, result.StandardError, StringComparison.Ordinal);
    }
}
