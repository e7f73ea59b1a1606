using System.Globalization;
using k8s;
using k8s.Models;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class WatchTests
{
    [Fact]
    public async Task Watch_FromResourceVersion_StreamsChangesInOrder()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("before"));
        var start = (await cluster.Client.ListPoolsAsync()).Metadata.ResourceVersion;
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + $"?watch=1&resourceVersion={start}");

        var created = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        created.Spec.Range = "10.9.0.0/24";
        var replaced = await cluster.Client.ReplacePoolAsync(created);
        await cluster.Client.DeletePoolAsync("x");

        var events = new[] { await watch.NextEventAsync(), await watch.NextEventAsync(), await watch.NextEventAsync() };
        Assert.Equal(200, watch.StatusCode);
        Assert.Equal(["ADDED x", "MODIFIED x", "DELETED x"], events.Select(e => e.Describe()));
        Assert.Equal(replaced.Metadata.ResourceVersion, events[1].ResourceVersion());
        Assert.Equal(cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), events[2].ResourceVersion());
        Assert.Equal("10.9.0.0/24", (string?)events[2]["object"]!["spec"]!["range"]);
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithTheCurrentStateAsAdded()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("a"));
        await cluster.Client.CreatePoolAsync(IpPool.Create("b"));
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + "?watch=true");

        await cluster.Client.CreatePoolAsync(IpPool.Create("c"));

        var events = new[] { await watch.NextEventAsync(), await watch.NextEventAsync(), await watch.NextEventAsync() };
        Assert.Equal(["ADDED a", "ADDED b", "ADDED c"], events.Select(e => e.Describe()));
    }

    [Fact]
    public async Task Watch_TooOldResourceVersion_GetsErrorEventWith410()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { WatchHistoryCapacity = 3 });
        var start = cluster.Store.ResourceVersion;
        for (var i = 0; i < 5; i++)
        {
            await cluster.Client.CreatePoolAsync(IpPool.Create($"p{i}"));
        }

        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + $"?watch=1&resourceVersion={start}");
        var error = await watch.NextEventAsync();

        Assert.Equal(200, watch.StatusCode);
        Assert.Equal("ERROR", error.Type());
        Assert.Equal(
            $$$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: {{{start}}} ({{{start + 2}}})","reason":"Expired","code":410}""",
            Api.Compact(error["object"]!));
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Watch_ResourceVersionInsideHistory_IsServed()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { WatchHistoryCapacity = 3 });
        for (var i = 0; i < 5; i++)
        {
            await cluster.Client.CreatePoolAsync(IpPool.Create($"p{i}"));
        }

        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + $"?watch=1&resourceVersion={cluster.Store.ResourceVersion - 2}");

        Assert.Equal(["ADDED p3", "ADDED p4"], [(await watch.NextEventAsync()).Describe(), (await watch.NextEventAsync()).Describe()]);
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsPeriodicBookmarks()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        await cluster.Client.CreatePoolAsync(IpPool.Create("a"));
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(),
            Api.PoolPath() + $"?watch=1&allowWatchBookmarks=true&resourceVersion={cluster.Store.ResourceVersion}");

        var bookmark = await watch.NextEventAsync();

        Assert.Equal("BOOKMARK", bookmark.Type());
        Assert.Equal("IPPool", (string?)bookmark["object"]!["kind"]);
        Assert.Equal("whereabouts.cni.cncf.io/v1alpha1", (string?)bookmark["object"]!["apiVersion"]);
        Assert.Equal(cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), bookmark.ResourceVersion());
    }

    [Fact]
    public async Task Watch_WithoutAllowBookmarks_SendsNone()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + "?watch=1&timeoutSeconds=1");

        Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStream()
    {
        await using var cluster = await TestCluster.StartAsync();
        var started = DateTime.UtcNow;
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + "?watch=1&timeoutSeconds=1");

        var next = await watch.NextAsync(TimeSpan.FromSeconds(10));

        Assert.Null(next);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Watch_LabelSelector_TurnsLabelChangesIntoAddedAndDeleted()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), "api/v1/namespaces/default/pods?watch=1&labelSelector=app%3Dweb");

        cluster.Store.CreatePod(new TestPod("other"));
        cluster.Store.CreatePod(new TestPod("p1"));
        cluster.Store.Update("pods", "default", "p1", p => p["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["app"] = "web" });
        cluster.Store.Update("pods", "default", "p1", p => p["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { ["n"] = "1" });
        cluster.Store.Update("pods", "default", "p1", p => p["metadata"]!.AsObject().Remove("labels"));

        var events = new[] { await watch.NextEventAsync(), await watch.NextEventAsync(), await watch.NextEventAsync() };
        Assert.Equal(["ADDED p1", "MODIFIED p1", "DELETED p1"], events.Select(e => e.Describe()));
        Assert.Equal("web", (string?)events[2]["object"]!["metadata"]!["labels"]!["app"]);
        Assert.Equal(cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), events[2].ResourceVersion());
    }

    [Fact]
    public async Task Watch_FieldSelectorOnNode_SeesOnlyThatNodesPods()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), "api/v1/pods?watch=1&fieldSelector=spec.nodeName%3Dnode-a");

        cluster.Store.CreatePod(new TestPod("b1") { NodeName = "node-b" });
        cluster.Store.CreatePod(new TestPod("a1") { NodeName = "node-a", Namespace = "kube-system" });

        Assert.Equal("ADDED a1", (await watch.NextEventAsync()).Describe());
    }

    [Fact]
    public async Task Watch_Namespaced_IgnoresOtherNamespaces()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath(namespaceName: "default") + "?watch=1");

        await cluster.Client.CreatePoolAsync(IpPool.Create("elsewhere"), "kube-system");
        await cluster.Client.CreatePoolAsync(IpPool.Create("here"), "default");

        Assert.Equal("ADDED here", (await watch.NextEventAsync()).Describe());
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithAnnotatedBookmark()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("a"));
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(),
            Api.PoolPath() + "?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan");

        var added = await watch.NextEventAsync();
        var bookmark = await watch.NextEventAsync();

        Assert.Equal("ADDED a", added.Describe());
        Assert.Equal("BOOKMARK", bookmark.Type());
        Assert.Equal("true", (string?)bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task Watch_LegacyWatchPathOnName_WatchesOneObject()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), "apis/whereabouts.cni.cncf.io/v1alpha1/watch/namespaces/kube-system/ippools/b");

        await cluster.Client.CreatePoolAsync(IpPool.Create("a"));
        await cluster.Client.CreatePoolAsync(IpPool.Create("b"));

        Assert.Equal("ADDED b", (await watch.NextEventAsync()).Describe());
    }

    [Fact]
    public async Task Watch_GracefulPodDeletion_IsModifiedThenDeleted()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.CreatePod(new TestPod("p1"));
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(),
            $"api/v1/namespaces/default/pods?watch=1&resourceVersion={cluster.Store.ResourceVersion}");

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("p1", "default", cancellationToken: Api.Token);
        cluster.Store.FinishPodDeletion("default", "p1");

        var modified = await watch.NextEventAsync();
        var deleted = await watch.NextEventAsync();
        Assert.Equal("MODIFIED p1", modified.Describe());
        Assert.NotNull(modified["object"]!["metadata"]!["deletionTimestamp"]);
        Assert.Equal("DELETED p1", deleted.Describe());
    }

    [Fact]
    public async Task Watch_IsCountedAsWatchVerb()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using (await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + "?watch=1&timeoutSeconds=1"))
        {
        }

        await WaitUntilAsync(() => cluster.Server.Counters.Get("watch", "ippools", 200) == 1);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25, Api.Token);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Watch_NodesAreClusterScoped()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), "api/v1/nodes?watch=1");

        await cluster.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "n1" } }, cancellationToken: Api.Token);

        var added = await watch.NextEventAsync();
        Assert.Equal("ADDED n1", added.Describe());
        Assert.Null(added["object"]!["metadata"]!["namespace"]);
    }
}
