using System.Net;
using k8s;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class SelectorTests
{
    public static TheoryData<string, string[]> LabelSelectors => new()
    {
        { "tier=web", ["p1", "p2"] },
        { "tier==web", ["p1", "p2"] },
        { "tier!=web", ["p3", "p4"] },
        { "tier in (web,db)", ["p1", "p2", "p3"] },
        { "tier notin (web)", ["p3", "p4"] },
        { "tier", ["p1", "p2", "p3"] },
        { "!tier", ["p4"] },
        { "tier=web,env=prod", ["p1"] },
        { "rank>2", ["p2"] },
        { "rank<2", ["p1"] },
        { "", ["p1", "p2", "p3", "p4"] },
    };

    [Theory]
    [MemberData(nameof(LabelSelectors))]
    public async Task List_LabelSelector_MatchesAsKubernetes(string selector, string[] expected)
    {
        await using var cluster = await StartWithPodsAsync();

        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: selector, cancellationToken: Api.Token);

        Assert.Equal(expected, pods.Items.Select(p => p.Metadata.Name));
    }

    [Theory]
    [InlineData("spec.nodeName=node-a", new[] { "p1", "p3" })]
    [InlineData("spec.nodeName!=node-a", new[] { "p2", "p4" })]
    [InlineData("metadata.name=p2", new[] { "p2" })]
    [InlineData("metadata.namespace=default,spec.nodeName==node-b", new[] { "p2" })]
    [InlineData("status.phase=Pending", new[] { "p4" })]
    public async Task List_FieldSelector_MatchesPods(string selector, string[] expected)
    {
        await using var cluster = await StartWithPodsAsync();

        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: selector, cancellationToken: Api.Token);

        Assert.Equal(expected, pods.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task List_UnsupportedField_Is400()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ListPoolsAsync(fieldSelector: "spec.range=10.0.0.0/24"));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"field label not supported: spec.range","reason":"BadRequest","code":400}""",
            Api.Compact(body));
    }

    [Theory]
    [InlineData("tier in (web")]
    [InlineData("Bad Key=x")]
    [InlineData("rank>x")]
    public async Task List_MalformedLabelSelector_Is400(string selector)
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ListPoolsAsync(labelSelector: selector));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.StartsWith("unable to parse requirement: ", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_AllNamespaces_ByMetadataNamespace()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("a"), "default");
        await cluster.Client.CreatePoolAsync(IpPool.Create("b"), "kube-system");

        var all = await cluster.Client.ListPoolsAsync(namespaceName: null);
        var system = await cluster.Client.ListPoolsAsync(namespaceName: null, fieldSelector: "metadata.namespace=kube-system");

        Assert.Equal(["a", "b"], all.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b"], system.Items.Select(p => p.Metadata.Name));
        Assert.Equal("IPPoolList", all.Kind);
    }

    private static async Task<TestCluster> StartWithPodsAsync()
    {
        var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1") { NodeName = "node-a", Labels = Labels(("tier", "web"), ("env", "prod"), ("rank", "1")) });
        cluster.Store.CreatePod(new TestPod("p2") { NodeName = "node-b", Labels = Labels(("tier", "web"), ("rank", "3")) });
        cluster.Store.CreatePod(new TestPod("p3") { NodeName = "node-a", Labels = Labels(("tier", "db")) });
        cluster.Store.CreatePod(new TestPod("p4") { NodeName = null, Phase = "Pending" });
        return cluster;
    }

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value);
}
