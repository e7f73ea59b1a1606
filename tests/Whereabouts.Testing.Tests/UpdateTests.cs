using System.Net;
using k8s;
using k8s.Models;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class UpdateTests
{
    [Fact]
    public async Task Replace_CurrentResourceVersion_StoresAndBumpsVersionAndGeneration()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("pool-a"));
        pool.Spec.Allocations["1"] = new IpAllocation { Id = "c1", PodRef = "default/p1" };

        var updated = await cluster.Client.ReplacePoolAsync(pool);

        Assert.True(long.Parse(updated.Metadata.ResourceVersion) > long.Parse(pool.Metadata.ResourceVersion));
        Assert.Equal(2, updated.Metadata.Generation);
        Assert.Equal(pool.Metadata.Uid, updated.Metadata.Uid);
        Assert.Equal("c1", (await cluster.Client.GetPoolAsync("pool-a")).Spec.Allocations["1"].Id);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_Is409WithKubeApiserverMessage()
    {
        await using var cluster = await TestCluster.StartAsync();
        var stale = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        var fresh = await cluster.Client.GetPoolAsync("x");
        fresh.Spec.Allocations["1"] = new IpAllocation { Id = "winner", PodRef = "default/p1" };
        await cluster.Client.ReplacePoolAsync(fresh);
        stale.Spec.Allocations["1"] = new IpAllocation { Id = "loser", PodRef = "default/p2" };

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ReplacePoolAsync(stale));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on ippools.whereabouts.cni.cncf.io \"x\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"x","group":"whereabouts.cni.cncf.io","kind":"ippools"},"code":409}""",
            Api.Compact(body));
        Assert.Equal("winner", (await cluster.Client.GetPoolAsync("x")).Spec.Allocations["1"].Id);
    }

    [Fact]
    public async Task Replace_CustomResourceWithoutResourceVersion_Is422MustBeSpecified()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        pool.Metadata.ResourceVersion = null;

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ReplacePoolAsync(pool));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ippools.whereabouts.cni.cncf.io \"x\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update","reason":"Invalid","details":{"name":"x","group":"whereabouts.cni.cncf.io","kind":"ippools","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: 0x0: must be specified for an update","field":"metadata.resourceVersion"}]},"code":422}""",
            Api.Compact(body));
    }

    [Fact]
    public async Task Replace_BuiltInWithoutResourceVersion_IsUnconditional()
    {
        await using var cluster = await TestCluster.StartAsync();
        var lease = await cluster.Client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "whereabouts" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } }, "kube-system", cancellationToken: Api.Token);
        lease.Metadata.ResourceVersion = null;
        lease.Spec.HolderIdentity = "b";

        var replaced = await cluster.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "whereabouts", "kube-system", cancellationToken: Api.Token);

        Assert.Equal("b", replaced.Spec.HolderIdentity);
    }

    [Fact]
    public async Task Replace_StaleLease_Is409()
    {
        await using var cluster = await TestCluster.StartAsync();
        var lease = await cluster.Client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "whereabouts" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } }, "kube-system", cancellationToken: Api.Token);
        var staleVersion = lease.Metadata.ResourceVersion;
        lease.Spec.HolderIdentity = "b";
        await cluster.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "whereabouts", "kube-system", cancellationToken: Api.Token);
        lease.Metadata.ResourceVersion = staleVersion;
        lease.Spec.HolderIdentity = "c";

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "whereabouts", "kube-system", cancellationToken: Api.Token));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Operation cannot be fulfilled on leases.coordination.k8s.io \"whereabouts\": the object has been modified; please apply your changes to the latest version and try again",
            (string?)body["message"]);
    }

    [Fact]
    public async Task Replace_NoChange_KeepsResourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));

        var replaced = await cluster.Client.ReplacePoolAsync(pool);

        Assert.Equal(pool.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal(1, replaced.Metadata.Generation);
    }

    [Fact]
    public async Task Replace_MetadataOnlyChange_KeepsGeneration()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        pool.Metadata.Labels = new Dictionary<string, string> { ["team"] = "net" };

        var replaced = await cluster.Client.ReplacePoolAsync(pool);

        Assert.NotEqual(pool.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal(1, replaced.Metadata.Generation);
    }

    [Fact]
    public async Task Replace_OtherUid_Is409StoragePrecondition()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        var uid = pool.Metadata.Uid;
        pool.Metadata.Uid = "11111111-1111-1111-1111-111111111111";

        var (code, body) = await Api.FailureAsync(() => cluster.Client.ReplacePoolAsync(pool));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal(
            $"Operation cannot be fulfilled on ippools.whereabouts.cni.cncf.io \"x\": StorageError: invalid object, Code: 4, Key: /registry/whereabouts.cni.cncf.io/ippools/kube-system/x, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: 11111111-1111-1111-1111-111111111111, UID in object meta: {uid}",
            (string?)body["message"]);
    }

    [Fact]
    public async Task Replace_NameDiffersFromUrl_Is400()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        pool.Metadata.Name = "y";

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<IpPool>(
            pool, IpPool.Group, IpPool.Version, Api.Namespace, IpPool.Plural, "x", cancellationToken: Api.Token));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("the name of the object (y) does not match the name on the URL (x)", (string?)body["message"]);
    }

    [Fact]
    public async Task Replace_Missing_Is404()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("missing");
        pool.Metadata.ResourceVersion = "5";

        var (code, _) = await Api.FailureAsync(() => cluster.Client.ReplacePoolAsync(pool));

        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Replace_SystemFieldsFromClient_AreIgnored()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        var created = pool.Metadata.CreationTimestamp;
        pool.Metadata.CreationTimestamp = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        pool.Metadata.Generation = 42;
        pool.Spec.Range = "10.1.0.0/24";

        var replaced = await cluster.Client.ReplacePoolAsync(pool);

        Assert.Equal(created, replaced.Metadata.CreationTimestamp);
        Assert.Equal(2, replaced.Metadata.Generation);
    }
}
