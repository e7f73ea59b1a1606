using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class PodTests
{
    [Fact]
    public async Task Delete_ScheduledPod_SetsDeletionTimestampAndKeepsIt()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1") { TerminationGracePeriodSeconds = 30 });

        var response = await cluster.Client.CoreV1.DeleteNamespacedPodAsync("p1", "default", cancellationToken: Api.Token);
        var stored = await cluster.Client.CoreV1.ReadNamespacedPodAsync("p1", "default", cancellationToken: Api.Token);

        Assert.Equal(30, stored.Metadata.DeletionGracePeriodSeconds);
        Assert.NotNull(stored.Metadata.DeletionTimestamp);
        Assert.InRange(stored.Metadata.DeletionTimestamp!.Value - DateTime.UtcNow, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(31));
        Assert.Equal(stored.Metadata.ResourceVersion, response.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task FinishPodDeletion_RemovesTheTerminatingPod()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1"));
        cluster.Store.DeletePod("default", "p1");

        Assert.True(cluster.Store.FinishPodDeletion("default", "p1"));
        Assert.False(cluster.Store.FinishPodDeletion("default", "p1"));
        var (code, _) = await Api.FailureAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync("p1", "default", cancellationToken: Api.Token));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task FinishPodDeletion_OfRunningPod_DoesNothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1"));

        Assert.False(cluster.Store.FinishPodDeletion("default", "p1"));
        Assert.NotNull(cluster.Store.Get("pods", "default", "p1"));
    }

    [Theory]
    [InlineData(0L, "node-1", "Running")]
    [InlineData(null, null, "Pending")]
    [InlineData(null, "node-1", "Succeeded")]
    [InlineData(null, "node-1", "Failed")]
    public async Task Delete_ZeroGraceUnscheduledOrFinished_DeletesAtOnce(long? grace, string? node, string phase)
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1") { NodeName = node, Phase = phase });

        var response = await cluster.Client.CoreV1.DeleteNamespacedPodAsync("p1", "default", gracePeriodSeconds: (int?)grace, cancellationToken: Api.Token);

        Assert.Null(cluster.Store.Get("pods", "default", "p1"));
        Assert.Equal("p1", response.Metadata.Name);
    }

    [Fact]
    public async Task Delete_AgainWithShorterGrace_ShortensIt()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1"));
        var first = cluster.Store.DeletePod("default", "p1", 30);

        var longer = cluster.Store.DeletePod("default", "p1", 60);
        var shorter = cluster.Store.DeletePod("default", "p1", 10);

        Assert.Equal(first["metadata"]!["resourceVersion"]!.ToJsonString(), longer["metadata"]!["resourceVersion"]!.ToJsonString());
        Assert.Equal(10, (long)shorter["metadata"]!["deletionGracePeriodSeconds"]!);
        Assert.True(DateTimeOffset.Parse((string)shorter["metadata"]!["deletionTimestamp"]!, System.Globalization.CultureInfo.InvariantCulture)
            < DateTimeOffset.Parse((string)first["metadata"]!["deletionTimestamp"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Delete_GraceFromDeleteOptionsBody_IsUsed()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1"));

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("p1", "default", new V1DeleteOptions { GracePeriodSeconds = 5 }, cancellationToken: Api.Token);

        Assert.Equal(5, (long)cluster.Store.Get("pods", "default", "p1")!["metadata"]!["deletionGracePeriodSeconds"]!);
    }

    [Fact]
    public async Task PodTerminationDelay_RemovesTerminatingPodsByItself()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { PodTerminationDelay = TimeSpan.FromMilliseconds(100) });
        cluster.Store.CreatePod(new TestPod("p1"));

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("p1", "default", cancellationToken: Api.Token);

        for (var i = 0; i < 100 && cluster.Store.Get("pods", "default", "p1") is not null; i++)
        {
            await Task.Delay(20, Api.Token);
        }

        Assert.Null(cluster.Store.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task Create_ThroughApi_ResetsStatusAndDefaultsGrace()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p1" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] },
            Status = new V1PodStatus { Phase = "Running" },
        };

        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default", cancellationToken: Api.Token);

        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal(30, created.Spec.TerminationGracePeriodSeconds);
    }

    [Fact]
    public async Task UpdateMainResource_IgnoresStatus_StatusSubresourceChangesOnlyStatus()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1") { Phase = "Running" });

        var ignored = await cluster.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"status":{"phase":"Failed"},"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "p1", "default", cancellationToken: Api.Token);
        var changed = await cluster.Client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"phase":"Failed"},"metadata":{"labels":{"c":"d"}}}""", V1Patch.PatchType.MergePatch), "p1", "default", cancellationToken: Api.Token);

        Assert.Equal("Running", ignored.Status.Phase);
        Assert.Equal("b", ignored.Metadata.Labels["a"]);
        Assert.Equal("Failed", changed.Status.Phase);
        Assert.False(changed.Metadata.Labels.ContainsKey("c"));
    }

    [Fact]
    public async Task CreatePod_Helper_KeepsUidPhaseAnnotationsAndOwners()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "rs", ["uid"] = "rs-uid", ["controller"] = true };

        cluster.Store.CreatePod(new TestPod("p1", "kube-system")
        {
            Uid = "0f1e2d3c-0000-0000-0000-000000000001",
            Phase = "Succeeded",
            NodeName = "worker-3",
            Annotations = new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/network-status"] = "[]" },
            OwnerReferences = [owner],
            PodIp = "10.244.0.7",
        });
        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("p1", "kube-system", cancellationToken: Api.Token);

        Assert.Equal("0f1e2d3c-0000-0000-0000-000000000001", pod.Metadata.Uid);
        Assert.Equal("Succeeded", pod.Status.Phase);
        Assert.Equal("worker-3", pod.Spec.NodeName);
        Assert.Equal("[]", pod.Metadata.Annotations["k8s.v1.cni.cncf.io/network-status"]);
        Assert.Equal("rs", pod.Metadata.OwnerReferences.Single().Name);
        Assert.Equal("10.244.0.7", pod.Status.PodIP);
    }

    [Fact]
    public async Task SetPodPhase_ChangesPhaseAndResourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = cluster.Store.CreatePod(new TestPod("p1"));

        var updated = cluster.Store.SetPodPhase("default", "p1", "Failed");

        Assert.Equal("Failed", (string?)updated["status"]!["phase"]);
        Assert.NotEqual((string?)created["metadata"]!["resourceVersion"], (string?)updated["metadata"]!["resourceVersion"]);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)updated["metadata"]!["uid"]);
    }

    [Fact]
    public async Task FinishAllPodDeletions_RemovesOnlyTerminatingPods()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("a"));
        cluster.Store.CreatePod(new TestPod("b"));
        cluster.Store.CreatePod(new TestPod("c"));
        cluster.Store.DeletePod("default", "a");
        cluster.Store.DeletePod("default", "c");

        Assert.Equal(2, cluster.Store.FinishAllPodDeletions());
        Assert.Equal(["b"], cluster.Store.List("pods", "default").Select(p => (string)p["metadata"]!["name"]!));
    }
}
