using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class CreateGetDeleteTests
{
    [Fact]
    public async Task Create_CustomResource_SetsSystemFields()
    {
        await using var cluster = await TestCluster.StartAsync();
        var before = cluster.Store.ResourceVersion;

        var created = await cluster.Client.CreatePoolAsync(IpPool.Create("10.0.0.0-24"));

        Assert.Equal("kube-system", created.Metadata.NamespaceProperty);
        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), created.Metadata.ResourceVersion);
        Assert.Equal("IPPool", created.Kind);
    }

    [Fact]
    public async Task Get_ReturnsWhatCreateStored()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("10.0.0.0-24");
        pool.Spec.Allocations["5"] = new IpAllocation { Id = "c1", PodRef = "default/pod-1", IfName = "net1" };
        var created = await cluster.Client.CreatePoolAsync(pool);

        var read = await cluster.Client.GetPoolAsync("10.0.0.0-24");

        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal("net1", read.Spec.Allocations["5"].IfName);
        Assert.Equal("default/pod-1", read.Spec.Allocations["5"].PodRef);
    }

    [Fact]
    public async Task Create_ExistingName_Is409AlreadyExists()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CreatePoolAsync(IpPool.Create("pool-a"));

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(IpPool.Create("pool-a")));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ippools.whereabouts.cni.cncf.io \"pool-a\" already exists","reason":"AlreadyExists","details":{"name":"pool-a","group":"whereabouts.cni.cncf.io","kind":"ippools"},"code":409}""",
            Api.Compact(body));
    }

    [Fact]
    public async Task Get_Missing_Is404NotFound()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.GetPoolAsync("missing"));

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ippools.whereabouts.cni.cncf.io \"missing\" not found","reason":"NotFound","details":{"name":"missing","group":"whereabouts.cni.cncf.io","kind":"ippools"},"code":404}""",
            Api.Compact(body));
    }

    [Fact]
    public async Task Get_MissingPod_NamesCoreResourceWithoutGroup()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (_, body) = await Api.FailureAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync("p", "default", cancellationToken: Api.Token));

        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"p\" not found","reason":"NotFound","details":{"name":"p","kind":"pods"},"code":404}""",
            Api.Compact(body));
    }

    [Fact]
    public async Task Create_GenerateName_AppendsFiveRandomCharacters()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("");
        pool.Metadata.Name = null;
        pool.Metadata.GenerateName = "pool-";

        var first = await cluster.Client.CreatePoolAsync(pool);
        var second = await cluster.Client.CreatePoolAsync(pool);

        Assert.Matches("^pool-[bcdfghjklmnpqrstvwxz2456789]{5}$", first.Metadata.Name);
        Assert.NotEqual(first.Metadata.Name, second.Metadata.Name);
        Assert.Equal("pool-", first.Metadata.GenerateName);
    }

    [Fact]
    public async Task Create_NoNameNoGenerateName_Is422Required()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("");
        pool.Metadata.Name = null;

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(pool));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("IPPool.whereabouts.cni.cncf.io \"\" is invalid: metadata.name: Required value: name or generateName is required", (string?)body["message"]);
    }

    [Fact]
    public async Task Create_BodyNamespaceDiffersFromUrl_Is400()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(IpPool.Create("pool-a", namespaceName: "default")));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the namespace of the provided object does not match the namespace sent on the request","reason":"BadRequest","code":400}""",
            Api.Compact(body));
    }

    [Fact]
    public async Task Create_InNamespaceThatDoesNotExist_Is404ForTheNamespace()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(IpPool.Create("pool-a"), "nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("namespaces \"nowhere\" not found", (string?)body["message"]);
        Assert.Equal("namespaces", (string?)body["details"]!["kind"]);
    }

    [Fact]
    public async Task Create_InAnyNamespace_WhenNamespacesAreNotRequired()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { RequireNamespaces = false });

        var created = await cluster.Client.CreatePoolAsync(IpPool.Create("pool-a"), "nowhere");

        Assert.Equal("nowhere", created.Metadata.NamespaceProperty);
    }

    [Fact]
    public async Task Create_WithResourceVersion_Is500AsKubeApiserver()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("pool-a");
        pool.Metadata.ResourceVersion = "12";

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(pool));

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"resourceVersion should not be set on objects to be created","code":500}""",
            Api.Compact(body));
        Assert.Null(cluster.Store.Get("ippools", "kube-system", "pool-a"));
    }

    [Fact]
    public async Task Create_CustomResourceWithoutKind_Is400Unrecognized()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath(),
            """{"metadata":{"name":"p"},"spec":{"range":"10.0.0.0/24","allocations":{}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.StartsWith("the object provided is unrecognized (must be of type IPPool): Object 'Kind' is missing in", (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WrongApiVersion_Is400()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath(),
            """{"apiVersion":"whereabouts.cni.cncf.io/v1","kind":"IPPool","metadata":{"name":"p"},"spec":{"range":"r","allocations":{}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("the API version in the data (whereabouts.cni.cncf.io/v1) does not match the expected API version (whereabouts.cni.cncf.io/v1alpha1)",
            (string?)JsonNode.Parse(body)!["message"]);
    }

    [Fact]
    public async Task Delete_CustomResource_ReturnsSuccessStatusWithUid()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CreatePoolAsync(IpPool.Create("pool-a"));

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Delete, Api.PoolPath("pool-a"));

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(
            $$$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"pool-a","group":"whereabouts.cni.cncf.io","kind":"ippools","uid":"{{{created.Metadata.Uid}}}"}}""",
            body.TrimEnd('\n'));
        Assert.Null(cluster.Store.Get("ippools", "kube-system", "pool-a"));
    }

    [Fact]
    public async Task Delete_Missing_Is404()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.DeletePoolAsync("missing"));

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("ippools.whereabouts.cni.cncf.io \"missing\" not found", (string?)body["message"]);
    }

    [Fact]
    public async Task Delete_UidPreconditionMismatch_Is409NamingTheKind()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CreatePoolAsync(IpPool.Create("pool-a"));
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "00000000-0000-0000-0000-000000000000" } };

        var (code, body) = await Api.FailureAsync(() => cluster.Client.DeletePoolAsync("pool-a", options));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal(
            $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on IPPool.whereabouts.cni.cncf.io \"pool-a\": the UID in the precondition (00000000-0000-0000-0000-000000000000) does not match the UID in record ({{created.Metadata.Uid}}). The object might have been deleted and then recreated","reason":"Conflict","details":{"name":"pool-a","group":"whereabouts.cni.cncf.io","kind":"IPPool"},"code":409}""",
            Api.Compact(body));
        Assert.NotNull(cluster.Store.Get("ippools", "kube-system", "pool-a"));
    }

    [Fact]
    public async Task Delete_ResourceVersionPreconditionMismatch_Is409()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CreatePoolAsync(IpPool.Create("pool-a"));
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = "1" } };

        var (code, body) = await Api.FailureAsync(() => cluster.Client.DeletePoolAsync("pool-a", options));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal(
            $"Operation cannot be fulfilled on IPPool.whereabouts.cni.cncf.io \"pool-a\": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record ({created.Metadata.ResourceVersion}). The object might have been modified",
            (string?)body["message"]);
    }

    [Fact]
    public async Task Delete_MatchingPreconditions_Deletes()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CreatePoolAsync(IpPool.Create("pool-a"));
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = created.Metadata.Uid, ResourceVersion = created.Metadata.ResourceVersion } };

        await cluster.Client.DeletePoolAsync("pool-a", options);

        Assert.Null(cluster.Store.Get("ippools", "kube-system", "pool-a"));
    }

    [Fact]
    public async Task ResourceVersion_IsOneCounterAcrossResources()
    {
        await using var cluster = await TestCluster.StartAsync();

        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("pool-a"));
        var node = await cluster.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } }, cancellationToken: Api.Token);
        var lease = await cluster.Client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "whereabouts" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } }, "kube-system", cancellationToken: Api.Token);

        var versions = new[] { pool.Metadata.ResourceVersion, node.Metadata.ResourceVersion, lease.Metadata.ResourceVersion }.Select(long.Parse).ToList();
        Assert.Equal([versions[0], versions[0] + 1, versions[0] + 2], versions);
    }

    [Fact]
    public async Task NetworkAttachmentDefinition_IsServedAsCustomResource()
    {
        await using var cluster = await TestCluster.StartAsync();
        var http = cluster.Http();
        const string Path = "apis/k8s.cni.cncf.io/v1/namespaces/default/network-attachment-definitions";

        var (created, _, _) = await http.SendAsync(HttpMethod.Post, Path,
            """{"apiVersion":"k8s.cni.cncf.io/v1","kind":"NetworkAttachmentDefinition","metadata":{"name":"macvlan"},"spec":{"config":"{}","extra":1}}""");
        var (read, body, _) = await http.SendAsync(HttpMethod.Get, Path + "/macvlan");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal("""{"config":"{}"}""", JsonNode.Parse(body)!["spec"]!.ToJsonString());
    }
}
