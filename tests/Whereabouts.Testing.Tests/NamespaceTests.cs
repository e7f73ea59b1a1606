using System.Net;
using k8s;
using k8s.Models;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class NamespaceTests
{
    [Fact]
    public async Task Create_Namespace_IsActiveWithNameLabel()
    {
        await using var cluster = await TestCluster.StartAsync();

        var created = await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } }, cancellationToken: Api.Token);

        Assert.Equal("Active", created.Status.Phase);
        Assert.Equal("team-a", created.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], created.Spec.Finalizers);
    }

    [Fact]
    public async Task Delete_Namespace_RemovesItsObjects()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreateNamespace("team-a");
        await cluster.Client.CreatePoolAsync(IpPool.Create("p"), "team-a");
        await cluster.Client.CreatePoolAsync(IpPool.Create("q"), "default");
        cluster.Store.CreatePod(new TestPod("pod", "team-a"));

        await cluster.Client.CoreV1.DeleteNamespaceAsync("team-a", cancellationToken: Api.Token);

        Assert.Null(cluster.Store.Get("namespaces", null, "team-a"));
        Assert.Empty(cluster.Store.List("pods", "team-a"));
        Assert.Empty(cluster.Store.List("ippools", "team-a"));
        Assert.Single(cluster.Store.List("ippools", "default"));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task Delete_SystemNamespace_Is403(string name)
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CoreV1.DeleteNamespaceAsync(name, cancellationToken: Api.Token));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal($"namespaces \"{name}\" is forbidden: this namespace may not be deleted", (string?)body["message"]);
    }

    [Fact]
    public async Task InitialNamespaces_AreThoseOfANewCluster()
    {
        await using var cluster = await TestCluster.StartAsync();

        var namespaces = await cluster.Client.CoreV1.ListNamespaceAsync(cancellationToken: Api.Token);

        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], namespaces.Items.Select(n => n.Metadata.Name));
    }
}
