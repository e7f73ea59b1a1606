using System.Net;
using System.Text.Json.Nodes;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class PagingTests
{
    [Fact]
    public async Task List_WithLimit_PagesThroughAConsistentSnapshot()
    {
        await using var cluster = await StartWithPoolsAsync(7);

        var first = await cluster.Client.ListPoolsAsync(limit: 3);
        await cluster.Client.CreatePoolAsync(IpPool.Create("pool-00"));
        await cluster.Client.DeletePoolAsync("pool-06");
        var second = await cluster.Client.ListPoolsAsync(limit: 3, continueToken: first.Metadata.ContinueProperty);
        var third = await cluster.Client.ListPoolsAsync(limit: 3, continueToken: second.Metadata.ContinueProperty);

        Assert.Equal(["pool-01", "pool-02", "pool-03"], first.Items.Select(p => p.Metadata.Name));
        Assert.Equal(4, first.Metadata.RemainingItemCount);
        Assert.Equal(["pool-04", "pool-05", "pool-06"], second.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["pool-07"], third.Items.Select(p => p.Metadata.Name));
        Assert.Null(third.Metadata.ContinueProperty);
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        Assert.Equal(first.Metadata.ResourceVersion, third.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task List_ResourceVersionIsTheStoreRevision()
    {
        await using var cluster = await StartWithPoolsAsync(2);

        var list = await cluster.Client.ListPoolsAsync();

        Assert.Equal(cluster.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task List_ContinueAfterCompaction_Is410WithAnInconsistentContinuation()
    {
        await using var cluster = await StartWithPoolsAsync(5);
        var first = await cluster.Client.ListPoolsAsync(limit: 2);
        await cluster.Client.CreatePoolAsync(IpPool.Create("pool-09"));
        cluster.Store.Compact();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ListPoolsAsync(limit: 2, continueToken: first.Metadata.ContinueProperty));
        var rest = await cluster.Client.ListPoolsAsync(continueToken: (string)body["metadata"]!["continue"]!);

        Assert.Equal(HttpStatusCode.Gone, code);
        Assert.Equal("Expired", (string?)body["reason"]);
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal(["pool-03", "pool-04", "pool-05", "pool-09"], rest.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task List_GarbageContinueToken_Is400()
    {
        await using var cluster = await StartWithPoolsAsync(1);

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ListPoolsAsync(continueToken: "not-a-token!"));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.StartsWith("invalid continue token: continue key is not valid: ", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ContinueWithResourceVersion_Is400()
    {
        await using var cluster = await StartWithPoolsAsync(3);
        var first = await cluster.Client.ListPoolsAsync(limit: 1);

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ListPoolsAsync(limit: 1, continueToken: first.Metadata.ContinueProperty, resourceVersion: "5"));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("specifying resource version is not allowed when using continue", (string?)body["message"]);
    }

    [Fact]
    public async Task List_ExactResourceVersion_ShowsThePast()
    {
        await using var cluster = await StartWithPoolsAsync(2);
        var before = await cluster.Client.ListPoolsAsync();
        await cluster.Client.DeletePoolAsync("pool-01");
        await cluster.Client.CreatePoolAsync(IpPool.Create("pool-03"));

        var past = await cluster.Client.ListPoolsAsync(resourceVersion: before.Metadata.ResourceVersion, resourceVersionMatch: "Exact");

        Assert.Equal(["pool-01", "pool-02"], past.Items.Select(p => p.Metadata.Name));
        Assert.Equal(before.Metadata.ResourceVersion, past.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task List_ExactResourceVersionCompacted_Is410()
    {
        await using var cluster = await StartWithPoolsAsync(2);
        var before = await cluster.Client.ListPoolsAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("pool-03"));
        cluster.Store.Compact();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ListPoolsAsync(resourceVersion: before.Metadata.ResourceVersion, resourceVersionMatch: "Exact"));

        Assert.Equal(HttpStatusCode.Gone, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"The resourceVersion for the provided list is too old.","reason":"Expired","code":410}""",
            Api.Compact(body));
    }

    [Fact]
    public async Task List_ResourceVersionMatchWithoutResourceVersion_Is422()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ListPoolsAsync(resourceVersionMatch: "NotOlderThan"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
            (string?)body["message"]);
    }

    [Fact]
    public async Task List_FutureResourceVersion_Is504TooLargeAfterWaiting()
    {
        await using var cluster = await TestCluster.StartAsync();
        var future = cluster.Store.ResourceVersion + 100;

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ListPoolsAsync(resourceVersion: future.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.GatewayTimeout, code);
        Assert.Equal($"Timeout: Too large resource version: {future}, current: {cluster.Store.ResourceVersion}", (string?)body["message"]);
        Assert.Equal("ResourceVersionTooLarge", (string?)body["details"]!["causes"]![0]!["reason"]);
    }

    [Fact]
    public async Task List_WithSelectorAndLimit_HasNoRemainingCount()
    {
        await using var cluster = await StartWithPoolsAsync(4);

        var page = await cluster.Client.ListPoolsAsync(limit: 1, fieldSelector: "metadata.namespace=kube-system");

        Assert.Single(page.Items);
        Assert.NotNull(page.Metadata.ContinueProperty);
        Assert.Null(page.Metadata.RemainingItemCount);
    }

    [Fact]
    public async Task ContinueToken_HasKubeApiserverFormat()
    {
        await using var cluster = await StartWithPoolsAsync(2);

        var page = await cluster.Client.ListPoolsAsync(limit: 1);

        var decoded = JsonNode.Parse(Convert.FromBase64String(Pad(page.Metadata.ContinueProperty.Replace('-', '+').Replace('_', '/'))))!;
        Assert.Equal("meta.k8s.io/v1", (string?)decoded["v"]);
        Assert.Equal("pool-01\u0000", (string?)decoded["start"]);
        Assert.Equal(long.Parse(page.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture), (long)decoded["rv"]!);
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    private static async Task<TestCluster> StartWithPoolsAsync(int count)
    {
        var cluster = await TestCluster.StartAsync();
        for (var i = 1; i <= count; i++)
        {
            await cluster.Client.CreatePoolAsync(IpPool.Create($"pool-{i:00}"));
        }

        return cluster;
    }
}
