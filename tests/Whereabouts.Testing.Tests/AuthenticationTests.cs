using System.Net;
using k8s;
using k8s.Models;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class AuthenticationTests
{
    private const string UnauthorizedBody =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""";

    [Fact]
    public async Task Request_WithoutToken_Is401WithKubeApiserverBody()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = cluster.Server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = null;

        var (code, body, _) = await http.SendAsync(HttpMethod.Get, Api.PoolPath());

        Assert.Equal(HttpStatusCode.Unauthorized, code);
        Assert.Equal(UnauthorizedBody, body.TrimEnd('\n'));
    }

    [Fact]
    public async Task Client_WithWrongToken_Is401()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = cluster.ClientWithToken("not-the-token");

        var (code, body) = await Api.FailureAsync(() => client.ListPoolsAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, code);
        Assert.Equal(UnauthorizedBody, Api.Compact(body));
    }

    [Fact]
    public async Task Anonymous_WhenAllowed_ReadsVersionButIsForbiddenResources()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { AllowAnonymous = true });
        using var http = cluster.Server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = null;

        var (versionCode, _, _) = await http.SendAsync(HttpMethod.Get, "version");
        var (listCode, listBody, _) = await http.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/pods");

        Assert.Equal(HttpStatusCode.OK, versionCode);
        Assert.Equal(HttpStatusCode.Forbidden, listCode);
        Assert.Contains("pods is forbidden: User \\\"system:anonymous\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"default\\\"", listBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forbidden_NamedObject_HasKubeApiserverMessageAndDetails()
    {
        var options = new KubeApiServerOptions
        {
            Users = new Dictionary<string, KubeApiUser>
            {
                ["reader"] = new("system:serviceaccount:kube-system:reader", [KubeApiAccessRule.For(IpPool.Group, IpPool.Plural, "list")]),
            },
        };
        await using var cluster = await TestCluster.StartAsync(options);
        var reader = cluster.ClientWithToken("reader");

        var (code, body) = await Api.FailureAsync(() => reader.GetPoolAsync("pool-a"));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ippools.whereabouts.cni.cncf.io \"pool-a\" is forbidden: User \"system:serviceaccount:kube-system:reader\" cannot get resource \"ippools\" in API group \"whereabouts.cni.cncf.io\" in the namespace \"kube-system\"","reason":"Forbidden","details":{"name":"pool-a","group":"whereabouts.cni.cncf.io","kind":"ippools"},"code":403}""",
            Api.Compact(body));
    }

    [Fact]
    public async Task Forbidden_ClusterScopedList_SaysClusterScope()
    {
        var options = new KubeApiServerOptions
        {
            Users = new Dictionary<string, KubeApiUser> { ["nobody"] = new("nobody", []) },
        };
        await using var cluster = await TestCluster.StartAsync(options);
        var client = cluster.ClientWithToken("nobody");

        var (code, body) = await Api.FailureAsync(() => client.CoreV1.ListNodeAsync(cancellationToken: Api.Token));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("nodes is forbidden: User \"nobody\" cannot list resource \"nodes\" in API group \"\" at the cluster scope", (string?)body["message"]);
    }

    [Fact]
    public async Task Rules_AllowOnlyTheirVerbsResourcesAndNamespaces()
    {
        var options = new KubeApiServerOptions
        {
            Users = new Dictionary<string, KubeApiUser>
            {
                ["ipam"] = new("ipam", [new KubeApiAccessRule(["get", "create"], [IpPool.Group], [IpPool.Plural], ["kube-system"])]),
            },
        };
        await using var cluster = await TestCluster.StartAsync(options);
        var ipam = cluster.ClientWithToken("ipam");

        var created = await ipam.CreatePoolAsync(IpPool.Create("pool-a"));
        var (deleteCode, _) = await Api.FailureAsync(() => ipam.DeletePoolAsync("pool-a"));
        var (otherNamespaceCode, _) = await Api.FailureAsync(() => ipam.GetPoolAsync("pool-a", "default"));
        var (podsCode, _) = await Api.FailureAsync(() => ipam.CoreV1.ListNamespacedPodAsync("kube-system", cancellationToken: Api.Token));

        Assert.Equal("pool-a", created.Metadata.Name);
        Assert.Equal(HttpStatusCode.Forbidden, deleteCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherNamespaceCode);
        Assert.Equal(HttpStatusCode.Forbidden, podsCode);
    }

    [Fact]
    public async Task Forbidden_Subresource_NamesResourceSlashSubresource()
    {
        var options = new KubeApiServerOptions
        {
            Users = new Dictionary<string, KubeApiUser> { ["kubelet"] = new("kubelet", [KubeApiAccessRule.For("", "pods", "get")]) },
        };
        await using var cluster = await TestCluster.StartAsync(options);
        cluster.Store.CreatePod(new TestPod("p1"));
        var kubelet = cluster.ClientWithToken("kubelet");
        var patch = new V1Patch("""{"status":{"phase":"Failed"}}""", V1Patch.PatchType.MergePatch);

        var (code, body) = await Api.FailureAsync(() => kubelet.CoreV1.PatchNamespacedPodStatusAsync(patch, "p1", "default", cancellationToken: Api.Token));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("pods \"p1\" is forbidden: User \"kubelet\" cannot patch resource \"pods/status\" in API group \"\" in the namespace \"default\"", (string?)body["message"]);
    }
}
