using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task Version_ThroughClient_ReportsKubernetesVersion()
    {
        await using var cluster = await TestCluster.StartAsync();

        var version = await cluster.Client.Version.GetCodeAsync(Api.Token);

        Assert.Equal("1", version.Major);
        Assert.Equal("33", version.Minor);
        Assert.Equal("v1.33.0", version.GitVersion);
    }

    [Fact]
    public async Task ApiResources_ForWhereaboutsGroup_ListTheThreeCrdsWithVerbs()
    {
        await using var cluster = await TestCluster.StartAsync();

        var list = await cluster.Client.CustomObjects.GetAPIResourcesAsync(IpPool.Group, IpPool.Version, Api.Token);

        Assert.Equal("whereabouts.cni.cncf.io/v1alpha1", list.GroupVersion);
        Assert.Equal(["ippools", "nodeslicepools", "overlappingrangeipreservations"], list.Resources.Select(r => r.Name));
        var pools = list.Resources.Single(r => r.Name == "ippools");
        Assert.True(pools.Namespaced);
        Assert.Equal("IPPool", pools.Kind);
        Assert.Equal("ippool", pools.SingularName);
        Assert.Equal(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], pools.Verbs);
    }

    [Theory]
    [InlineData("api", "APIVersions")]
    [InlineData("apis", "APIGroupList")]
    [InlineData("api/v1", "APIResourceList")]
    [InlineData("apis/coordination.k8s.io", "APIGroup")]
    [InlineData("apis/coordination.k8s.io/v1", "APIResourceList")]
    [InlineData("apis/k8s.cni.cncf.io/v1", "APIResourceList")]
    public async Task Discovery_Documents_HaveTheirKind(string path, string kind)
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(kind, (string?)JsonNode.Parse(body)!["kind"]);
    }

    [Fact]
    public async Task Groups_ListEveryServedGroupWithPreferredVersion()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (_, body, _) = await cluster.Http().SendAsync(HttpMethod.Get, "apis");
        var groups = JsonNode.Parse(body)!["groups"]!.AsArray();

        Assert.Equal(["coordination.k8s.io", "k8s.cni.cncf.io", "whereabouts.cni.cncf.io"], groups.Select(g => (string)g!["name"]!));
        Assert.Equal("whereabouts.cni.cncf.io/v1alpha1", (string?)groups[2]!["preferredVersion"]!["groupVersion"]);
    }

    [Fact]
    public async Task CoreResources_IncludePodStatusSubresourceAndClusterScopedNodes()
    {
        await using var cluster = await TestCluster.StartAsync();

        var resources = await cluster.Client.CoreV1.GetAPIResourcesAsync(Api.Token);

        Assert.Contains(resources.Resources, r => r.Name == "pods/status" && r.Verbs.SequenceEqual(["get", "patch", "update"]));
        Assert.False(resources.Resources.Single(r => r.Name == "nodes").Namespaced);
        Assert.False(resources.Resources.Single(r => r.Name == "namespaces").Namespaced);
        Assert.True(resources.Resources.Single(r => r.Name == "events").Namespaced);
    }

    [Fact]
    public async Task UnknownGroup_IsPlain404PageNotFound()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, response) = await cluster.Http().SendAsync(HttpMethod.Get, "apis/example.com/v1/widgets");

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("404 page not found\n", body);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownResourceInServedGroup_Is404Status()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Get, "apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/default/widgets");

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}""",
            body.TrimEnd('\n'));
    }

    [Fact]
    public async Task Discovery_WithPost_Is405()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Post, "apis", "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, code);
        Assert.Equal("MethodNotAllowed", (string?)JsonNode.Parse(body)!["reason"]);
    }

    [Fact]
    public async Task Health_Endpoints_AnswerOk()
    {
        await using var cluster = await TestCluster.StartAsync();
        var http = cluster.Http();

        foreach (var path in (string[])["healthz", "livez", "readyz"])
        {
            var (code, body, _) = await http.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, code);
            Assert.Equal("ok", body);
        }
    }
}
