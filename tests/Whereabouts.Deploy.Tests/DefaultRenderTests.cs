using System.Text.Json.Nodes;

namespace Whereabouts.Deploy.Tests;

/// <summary>The chart rendered with its default values, as <c>helm install</c> would apply it.</summary>
public sealed class DefaultRenderTests(DeployFixture fixture)
{
    private static readonly HashSet<string> ClusterScopedKinds = ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Namespace"];

    private ManifestSet Render => fixture.DefaultRenderWithCrds;

    [Fact]
    public void HelmLint_DefaultValues_Passes()
    {
        var result = fixture.Helm.Lint(RepositoryLayout.Chart);

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void Render_DefaultValues_ContainsEveryComponentTheSeedLists()
    {
        Assert.Equal(
            ["ippools.whereabouts.cni.cncf.io", "nodeslicepools.whereabouts.cni.cncf.io", "overlappingrangeipreservations.whereabouts.cni.cncf.io"],
            Render.OfKind("CustomResourceDefinition").Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal("apps/v1", Render.DaemonSet.ApiVersion);
        Assert.Equal("batch/v1", Render.CronJob.ApiVersion);
        Render.Single("ServiceAccount", "whereabouts");
        Render.Single("ClusterRole", "whereabouts-cni");
        Render.Single("ClusterRoleBinding", "whereabouts");
    }

    [Fact]
    public void Render_DefaultValues_PutsEveryNamespacedObjectInKubeSystem()
    {
        AssertNamespaces(Render, "kube-system");
    }

    [Fact]
    public void Render_DefaultValues_GrantsExactlyTheCallsTheProductMakes()
    {
        Assert.Equal(ExpectedRbac.ClusterPermissions, ExpectedRbac.Permissions(Render.Single("ClusterRole", "whereabouts-cni")));
        Assert.Equal(ExpectedRbac.NamespacePermissions, ExpectedRbac.Permissions(Render.Single("Role", "whereabouts-lease")));
        Assert.Equal(["ClusterRole", "Role"], Render.Objects.Where(o => o.Kind.EndsWith("Role", StringComparison.Ordinal)).Select(o => o.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_DefaultValues_BindsTheRolesToTheServiceAccount()
    {
        var clusterBinding = Render.Single("ClusterRoleBinding", "whereabouts").Object;
        Assert.Equal("whereabouts-cni", (string?)clusterBinding["roleRef"]!["name"]);
        Assert.Equal("ClusterRole", (string?)clusterBinding["roleRef"]!["kind"]);
        AssertSubjectIsServiceAccount(clusterBinding, "whereabouts", "kube-system");

        var leaseBinding = Render.Single("RoleBinding", "whereabouts-lease").Object;
        Assert.Equal("whereabouts-lease", (string?)leaseBinding["roleRef"]!["name"]);
        AssertSubjectIsServiceAccount(leaseBinding, "whereabouts", "kube-system");

        Assert.Equal("whereabouts", (string?)Render.DaemonSetPod["serviceAccountName"]);
        Assert.Equal("whereabouts", (string?)Render.CronJobPod["serviceAccountName"]);
    }

    [Fact]
    public void DaemonSet_DefaultValues_InstallsTheCniPluginThenRunsTheController()
    {
        var pod = Render.DaemonSetPod;

        var init = Assert.Single(pod["initContainers"]!.AsArray())!;
        Assert.Equal("install-cni", (string?)init["name"]);
        Assert.Equal(["/usr/local/bin/whereabouts-controller"], Strings(init["command"]));
        Assert.Equal("install-cni", Strings(init["args"])[0]);
        Assert.Contains("--cni-bin-dir=/host/opt/cni/bin", Strings(init["args"]));
        Assert.Contains("--cni-conf-dir=/host/etc/cni/net.d", Strings(init["args"]));
        Assert.Contains("--agent-socket=/run/whereabouts/agent.sock", Strings(init["args"]));
        Assert.Equal(["/host/etc/cni/net.d", "/host/opt/cni/bin"], MountPaths(init));

        var controller = Assert.Single(pod["containers"]!.AsArray())!;
        Assert.Equal("whereabouts", (string?)controller["name"]);
        Assert.Equal(["/usr/local/bin/whereabouts-controller"], Strings(controller["command"]));
        var args = Strings(controller["args"]);
        Assert.Equal("run", args[0]);
        Assert.Contains("--node=$(NODENAME)", args);
        Assert.Contains("--cni-conf-dir=/host/etc/cni/net.d", args);
        Assert.Contains("--metrics-port=9464", args);
        Assert.Contains("--agent-socket=/run/whereabouts/agent.sock", args);
        Assert.Contains("--log-level=verbose", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--reconcile-schedule", StringComparison.Ordinal));
        Assert.Equal(["/host/etc/cni/net.d/whereabouts.d", "/run/whereabouts"], MountPaths(controller));

        foreach (var container in new[] { init, controller })
        {
            Assert.Equal($"ghcr.io/whereabouts-dotnet/whereabouts:{ChartAppVersion}", (string?)container["image"]);
            Assert.Equal("spec.nodeName", (string?)Env(container, "NODENAME")["valueFrom"]!["fieldRef"]!["fieldPath"]);
            Assert.Equal("metadata.namespace", (string?)Env(container, "WHEREABOUTS_NAMESPACE")["valueFrom"]!["fieldRef"]!["fieldPath"]);
            AssertResources(container, limitsCpu: "100m", limitsMemory: "128Mi", requestsCpu: "100m", requestsMemory: "64Mi");
        }
    }

    [Fact]
    public void DaemonSet_DefaultValues_RunsOnTheHostNetworkWithHostPathsAndProbes()
    {
        var daemonSet = Render.DaemonSet;
        var pod = Render.DaemonSetPod;

        Assert.True((bool)pod["hostNetwork"]!);
        Assert.Equal("RollingUpdate", (string?)daemonSet.Spec["updateStrategy"]!["type"]);
        Assert.Equal("whereabouts", (string?)daemonSet.Spec["selector"]!["matchLabels"]!["name"]);
        var podLabels = daemonSet.Spec["template"]!["metadata"]!["labels"]!;
        Assert.Equal("whereabouts", (string?)podLabels["app"]);
        Assert.Equal("node", (string?)podLabels["tier"]);
        Assert.Equal("whereabouts", (string?)podLabels["name"]);
        Assert.Equal("system-node-critical", (string?)pod["priorityClassName"]);
        Assert.Equal("linux", (string?)pod["nodeSelector"]!["kubernetes.io/os"]);
        var toleration = Assert.Single(pod["tolerations"]!.AsArray())!;
        Assert.Equal("Exists", (string?)toleration["operator"]);
        Assert.Null(toleration["key"]);
        Assert.Null(toleration["effect"]);

        var hostPaths = pod["volumes"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => (string)v!["hostPath"]!["path"]!);
        Assert.Equal("/opt/cni/bin", hostPaths["cni-bin-dir"]);
        Assert.Equal("/etc/cni/net.d", hostPaths["cni-net-dir"]);
        Assert.Equal("/etc/cni/net.d/whereabouts.d", hostPaths["whereabouts-conf-dir"]);

        var controller = pod["containers"]![0]!;
        Assert.Equal(9464, (int)controller["ports"]![0]!["containerPort"]!);
        foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
        {
            Assert.Equal("/healthz", (string?)controller[probe]!["httpGet"]!["path"]);
            Assert.Equal("metrics", (string?)controller[probe]!["httpGet"]!["port"]);
        }
    }

    [Fact]
    public void DaemonSet_DefaultValues_PrivilegesOnlyTheHostInstaller()
    {
        var pod = Render.DaemonSetPod;

        Assert.True((bool)pod["initContainers"]![0]!["securityContext"]!["privileged"]!);
        var controller = pod["containers"]![0]!["securityContext"]!;
        Assert.False((bool)controller["privileged"]!);
        Assert.False((bool)controller["allowPrivilegeEscalation"]!);
        Assert.True((bool)controller["readOnlyRootFilesystem"]!);
        Assert.Equal(["ALL"], Strings(controller["capabilities"]!["drop"]));

        var reconciler = Render.CronJobPod["containers"]![0]!["securityContext"]!;
        Assert.True((bool)reconciler["runAsNonRoot"]!);
        Assert.Null(Render.CronJobPod["volumes"]);
    }

    [Fact]
    public void CronJob_DefaultValues_RunsOneReconcilePassEveryFiveMinutes()
    {
        var cronJob = Render.CronJob.Spec;
        var job = cronJob["jobTemplate"]!["spec"]!;
        var pod = Render.CronJobPod;

        Assert.Equal("*/5 * * * *", (string?)cronJob["schedule"]);
        Assert.Equal("Forbid", (string?)cronJob["concurrencyPolicy"]);
        Assert.InRange((int)cronJob["successfulJobsHistoryLimit"]!, 0, 3);
        Assert.InRange((int)cronJob["failedJobsHistoryLimit"]!, 1, 3);
        Assert.InRange((int)job["backoffLimit"]!, 0, 2);
        Assert.Equal(240, (int)job["activeDeadlineSeconds"]!);
        Assert.Contains((string?)pod["restartPolicy"], new[] { "OnFailure", "Never" });

        var container = Assert.Single(pod["containers"]!.AsArray())!;
        Assert.Equal(["/usr/local/bin/whereabouts-controller"], Strings(container["command"]));
        Assert.Equal(["reconcile", "--namespace=$(WHEREABOUTS_NAMESPACE)", "--log-level=verbose"], Strings(container["args"]));
        Assert.Equal("metadata.namespace", (string?)Env(container, "WHEREABOUTS_NAMESPACE")["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("100m", (string?)container["resources"]!["requests"]!["cpu"]);
        Assert.Equal("64Mi", (string?)container["resources"]!["requests"]!["memory"]);
        Assert.Null(container["resources"]!["limits"]);
    }

    [Fact]
    public void Validate_DefaultRenderWithCrds_HasNoProblems()
    {
        var result = ManifestValidator.Validate(Render.Yaml);

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    internal static void AssertNamespaces(ManifestSet render, string expected)
    {
        Assert.All(render.Objects, o =>
        {
            if (ClusterScopedKinds.Contains(o.Kind))
            {
                Assert.Null(o.Namespace);
            }
            else
            {
                Assert.Equal(expected, o.Namespace);
            }
        });
        Assert.All(render.Objects.Where(o => o.Kind.EndsWith("Binding", StringComparison.Ordinal)), b =>
            Assert.All(b.Object["subjects"]!.AsArray(), s => Assert.Equal(expected, (string?)s!["namespace"])));
    }

    internal static void AssertResources(JsonNode container, string limitsCpu, string limitsMemory, string requestsCpu, string requestsMemory)
    {
        var resources = container["resources"]!;
        Assert.Equal(limitsCpu, (string?)resources["limits"]!["cpu"]);
        Assert.Equal(limitsMemory, (string?)resources["limits"]!["memory"]);
        Assert.Equal(requestsCpu, (string?)resources["requests"]!["cpu"]);
        Assert.Equal(requestsMemory, (string?)resources["requests"]!["memory"]);
    }

    private static string ChartAppVersion => (string)YamlJson.LoadFile(Path.Combine(RepositoryLayout.Chart, "Chart.yaml"))["appVersion"]!;

    internal static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => (string)n!)];

    internal static JsonNode Env(JsonNode container, string name) =>
        container["env"]!.AsArray().Single(e => (string?)e!["name"] == name)!;

    private static string[] MountPaths(JsonNode container) =>
        [.. container["volumeMounts"]!.AsArray().Select(m => (string)m!["mountPath"]!).Order(StringComparer.Ordinal)];

    private static void AssertSubjectIsServiceAccount(JsonObject binding, string name, string ns)
    {
        var subject = Assert.Single(binding["subjects"]!.AsArray())!;
        Assert.Equal("ServiceAccount", (string?)subject["kind"]);
        Assert.Equal(name, (string?)subject["name"]);
        Assert.Equal(ns, (string?)subject["namespace"]);
    }
}
