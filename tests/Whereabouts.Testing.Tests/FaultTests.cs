using System.Diagnostics;
using System.Net;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task Latency_DelaysEveryRequest()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.ListPoolsAsync();
        cluster.Server.Faults.SetLatency(TimeSpan.FromMilliseconds(200));

        var watch = Stopwatch.StartNew();
        await cluster.Client.ListPoolsAsync();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(190), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task WriteLatency_DelaysWritesOnly()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.ListPoolsAsync();
        cluster.Server.Faults.SetWriteLatency(TimeSpan.FromMilliseconds(300));

        var read = Stopwatch.StartNew();
        await cluster.Client.ListPoolsAsync();
        read.Stop();
        var write = Stopwatch.StartNew();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        write.Stop();

        Assert.True(read.Elapsed < TimeSpan.FromMilliseconds(250), $"read took {read.Elapsed}");
        Assert.True(write.Elapsed >= TimeSpan.FromMilliseconds(290), $"write took {write.Elapsed}");
    }

    [Fact]
    public async Task Latency_WithJitter_StaysWithinBounds()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.ListPoolsAsync();
        cluster.Server.Faults.SetLatency(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));

        var watch = Stopwatch.StartNew();
        await cluster.Client.ListPoolsAsync();

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(45), TimeSpan.FromSeconds(5));
    }

    public static TheoryData<int, string, string> InjectedStatuses => new()
    {
        { 409, "Conflict", "Operation cannot be fulfilled on ippools.whereabouts.cni.cncf.io \"x\": the object has been modified; please apply your changes to the latest version and try again" },
        { 422, "Invalid", "the server rejected our request due to an error in our request" },
        { 429, "TooManyRequests", "Too many requests, please try again later." },
        { 500, "InternalError", "Internal error occurred: injected fault" },
        { 503, "ServiceUnavailable", "the server is currently unable to handle the request" },
    };

    [Theory]
    [MemberData(nameof(InjectedStatuses))]
    public async Task FailNext_AnswersWithTheCodeAsKubeApiserverWould(int statusCode, string reason, string message)
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        using var fault = cluster.Server.Faults.FailNext(1, statusCode, "patch", "ippools");

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", """[{"op":"replace","path":"/spec/range","value":"r"}]"""));
        var after = await cluster.Client.PatchPoolAsync("x", """[{"op":"replace","path":"/spec/range","value":"r2"}]""");

        Assert.Equal(statusCode, (int)code);
        Assert.Equal(reason, (string?)body["reason"]);
        Assert.Equal(message, (string?)body["message"]);
        Assert.Equal("r2", after.Spec.Range);
        Assert.Equal(1, fault.Triggered);
    }

    [Fact]
    public async Task FailNext_429_SendsRetryAfter()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.RetryAfterSeconds = 3;
        cluster.Server.Faults.FailNext(1, 429);

        var (code, body, response) = await cluster.Http().SendAsync(HttpMethod.Get, Api.PoolPath());

        Assert.Equal(HttpStatusCode.TooManyRequests, code);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":3},"code":429}""",
            body.TrimEnd('\n'));
    }

    [Fact]
    public async Task FailNext_OnlyHitsMatchingVerbAndResource_AndOnlyCountTimes()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var fault = cluster.Server.Faults.FailNext(2, 500, "create", "ippools");

        await cluster.Client.ListPoolsAsync();
        cluster.Store.CreatePod(new TestPod("p"));
        var (first, _) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(IpPool.Create("x")));
        var (second, _) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(IpPool.Create("x")));
        var created = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));

        Assert.Equal(HttpStatusCode.InternalServerError, first);
        Assert.Equal(HttpStatusCode.InternalServerError, second);
        Assert.Equal("x", created.Metadata.Name);
        Assert.Equal(0, fault.Remaining);
    }

    [Fact]
    public async Task FailFraction_One_HitsEveryRequestUntilDisposed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var fault = cluster.Server.Faults.FailFraction(1.0, 503, resource: "ippools");

        for (var i = 0; i < 3; i++)
        {
            var (code, _) = await Api.FailureAsync(() => cluster.Client.ListPoolsAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        }

        fault.Dispose();
        await cluster.Client.ListPoolsAsync();
        Assert.Equal(3, fault.Triggered);
    }

    [Fact]
    public async Task FailFraction_Half_HitsAboutHalf()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var fault = cluster.Server.Faults.FailFraction(0.5, 500);
        var http = cluster.Http();

        var failures = 0;
        for (var i = 0; i < 200; i++)
        {
            var (code, _, _) = await http.SendAsync(HttpMethod.Get, "version");
            failures += code == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        Assert.InRange(failures, 60, 140);
        Assert.Equal(failures, fault.Triggered);
    }

    [Fact]
    public async Task FailAfterProcessing_CommitsTheWriteButAnswersTheError()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.FailNext(1, 500, "create", point: FaultPoint.AfterProcessing);

        var (code, _) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(IpPool.Create("x")));

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.NotNull(cluster.Store.Get("ippools", Api.Namespace, "x"));
    }

    [Fact]
    public async Task DropBeforeProcessing_CutsTheConnectionAndWritesNothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.DropNext(1, "create");

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => cluster.Client.CreatePoolAsync(IpPool.Create("x")));

        Assert.Null(cluster.Store.Get("ippools", Api.Namespace, "x"));
        Assert.Equal(1, cluster.Server.Counters.Get("create", "ippools", 0));
    }

    [Fact]
    public async Task DropAfterProcessing_LosesTheResponseButKeepsTheWrite()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.DropNext(1, "create", point: FaultPoint.AfterProcessing);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => cluster.Client.CreatePoolAsync(IpPool.Create("x")));

        Assert.NotNull(cluster.Store.Get("ippools", Api.Namespace, "x"));
    }

    [Fact]
    public async Task DropFraction_One_CutsEveryMatchingRequest()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var fault = cluster.Server.Faults.DropFraction(1.0, "list");

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => cluster.Client.ListPoolsAsync());
        await cluster.Client.CreatePoolAsync(IpPool.Create("x"));

        Assert.Equal(1, fault.Triggered);
    }

    [Fact]
    public async Task PauseHang_HoldsRequestsUntilResume()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.ListPoolsAsync();
        cluster.Server.Faults.Pause(OutageMode.Hang);

        var pending = cluster.Client.ListPoolsAsync();
        await Task.Delay(300, Api.Token);
        var finishedEarly = pending.IsCompleted;
        cluster.Server.Faults.Resume();
        var list = await pending;

        Assert.False(finishedEarly);
        Assert.Equal("IPPoolList", list.Kind);
        Assert.False(cluster.Server.Faults.IsPaused);
    }

    [Fact]
    public async Task PauseRefuse_FailsRequestsAtOnceUntilResume()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.Pause(OutageMode.Refuse);

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => cluster.Client.ListPoolsAsync());
        watch.Stop();
        cluster.Server.Faults.Resume();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        await cluster.Client.ListPoolsAsync();
    }

    [Fact]
    public async Task Pause_CutsOpenWatches()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var watch = await WatchConnection.OpenAsync(cluster.Http(), Api.PoolPath() + "?watch=1");

        cluster.Server.Faults.Pause(OutageMode.Refuse);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (await watch.NextAsync() is not null)
            {
            }

            throw new IOException("ended cleanly");
        });
    }

    [Fact]
    public async Task Clear_RemovesFaultsLatencyAndOutage()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Server.Faults.FailFraction(1.0, 500);
        cluster.Server.Faults.SetLatency(TimeSpan.FromSeconds(30));

        cluster.Server.Faults.Clear();

        await cluster.Client.ListPoolsAsync();
    }
}
