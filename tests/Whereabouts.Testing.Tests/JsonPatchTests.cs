using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class JsonPatchTests
{
    private const string FailedPatchBody =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","details":{},"code":422}""";

    /// <summary>Operations applied to a pool whose spec is {"range":"10.0.0.0/24","allocations":{"1":{"id":"a","podref":"ns/a"}}}.</summary>
    public static TheoryData<string, string> AppliedOperations => new()
    {
        { """[{"op":"add","path":"/spec/allocations/2","value":{"id":"b","podref":"ns/b"}}]""", """{"allocations":{"1":{"id":"a","podref":"ns/a"},"2":{"id":"b","podref":"ns/b"}},"range":"10.0.0.0/24"}""" },
        { """[{"op":"remove","path":"/spec/allocations/1"}]""", """{"allocations":{},"range":"10.0.0.0/24"}""" },
        { """[{"op":"replace","path":"/spec/range","value":"10.9.0.0/24"}]""", """{"allocations":{"1":{"id":"a","podref":"ns/a"}},"range":"10.9.0.0/24"}""" },
        { """[{"op":"move","from":"/spec/allocations/1","path":"/spec/allocations/7"}]""", """{"allocations":{"7":{"id":"a","podref":"ns/a"}},"range":"10.0.0.0/24"}""" },
        { """[{"op":"copy","from":"/spec/allocations/1","path":"/spec/allocations/8"}]""", """{"allocations":{"1":{"id":"a","podref":"ns/a"},"8":{"id":"a","podref":"ns/a"}},"range":"10.0.0.0/24"}""" },
        { """[{"op":"test","path":"/spec/range","value":"10.0.0.0/24"},{"op":"replace","path":"/spec/allocations/1/id","value":"z"}]""", """{"allocations":{"1":{"id":"z","podref":"ns/a"}},"range":"10.0.0.0/24"}""" },
        // A null test passes on an absent member of an existing object (upstream whereabouts relies on it).
        { """[{"op":"test","path":"/spec/allocations/3","value":null},{"op":"add","path":"/spec/allocations/3","value":{"id":"c","podref":"ns/c"}}]""", """{"allocations":{"1":{"id":"a","podref":"ns/a"},"3":{"id":"c","podref":"ns/c"}},"range":"10.0.0.0/24"}""" },
        // ~1 is '/', ~0 is '~' in JSON pointers.
        { """[{"op":"add","path":"/spec/allocations/a~1b~0c","value":{"id":"d","podref":"ns/d"}}]""", """{"allocations":{"1":{"id":"a","podref":"ns/a"},"a/b~c":{"id":"d","podref":"ns/d"}},"range":"10.0.0.0/24"}""" },
    };

    /// <summary>Patches kube-apiserver cannot apply: each is 422 and changes nothing.</summary>
    public static TheoryData<string> UnappliablePatches => new()
    {
        """[{"op":"test","path":"/spec/range","value":"10.9.9.0/24"}]""",
        """[{"op":"replace","path":"/spec/allocations/1/id","value":"z"},{"op":"test","path":"/metadata/resourceVersion","value":"1"}]""",
        """[{"op":"test","path":"/spec/allocations/1","value":null}]""",
        """[{"op":"test","path":"/spec/nothing/3","value":null}]""",
        """[{"op":"remove","path":"/spec/allocations/9"}]""",
        """[{"op":"replace","path":"/spec/allocations/9","value":{"id":"x","podref":"y"}}]""",
        """[{"op":"add","path":"/spec/missing/child","value":1}]""",
        """[{"op":"move","from":"/spec/nothing","path":"/spec/x"}]""",
        """[{"op":"frobnicate","path":"/spec/range"}]""",
        """[{"op":"add","value":1}]""",
    };

    [Theory]
    [MemberData(nameof(AppliedOperations))]
    public async Task Patch_Operation_AppliesAsRfc6902(string patch, string expectedSpec)
    {
        await using var cluster = await StartWithPoolAsync();

        var patched = await cluster.Client.PatchPoolAsync("x", patch);

        var stored = cluster.Store.Get("ippools", Api.Namespace, "x")!;
        Assert.Equal(expectedSpec, stored["spec"]!.ToJsonString());
        Assert.Equal((string?)stored["metadata"]!["resourceVersion"], patched.Metadata.ResourceVersion);
    }

    [Theory]
    [MemberData(nameof(UnappliablePatches))]
    public async Task Patch_CannotApply_Is422AndAppliesNothing(string patch)
    {
        await using var cluster = await StartWithPoolAsync();
        var before = cluster.Store.Get("ippools", Api.Namespace, "x")!.ToJsonString();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", patch));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(FailedPatchBody, Api.Compact(body));
        Assert.Equal(before, cluster.Store.Get("ippools", Api.Namespace, "x")!.ToJsonString());
    }

    [Fact]
    public async Task Patch_UpstreamWhereaboutsSequence_SucceedsOnceThenConflictsAs422()
    {
        await using var cluster = await StartWithPoolAsync();
        var pool = await cluster.Client.GetPoolAsync("x");
        var patch = $$$"""
            [{"op":"test","path":"/metadata/resourceVersion","value":"{{{pool.Metadata.ResourceVersion}}}"},
             {"op":"test","path":"/spec/allocations/5","value":null},
             {"op":"add","path":"/spec/allocations/5","value":{"id":"cid","podref":"ns/pod","ifname":"net1"}}]
            """;

        var first = await cluster.Client.PatchPoolAsync("x", patch);
        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", patch));

        Assert.Equal("net1", first.Spec.Allocations["5"].IfName);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", (string?)body["reason"]);
    }

    [Fact]
    public async Task Patch_ArrayOperations_AppendInsertAndNegativeIndex()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Store.Create("nodeslicepools", JsonNode.Parse("""
            {"metadata":{"name":"net","namespace":"kube-system"},"spec":{"range":"10.0.0.0/8","sliceSize":"/24"},
             "status":{"allocations":[{"nodeName":"a","sliceRange":"10.0.0.0/24"}]}}
            """)!.AsObject(), validate: true);
        using var http = cluster.Server.CreateHttpClient();
        const string Path = "apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/kube-system/nodeslicepools/net";

        var (code, _, _) = await http.SendAsync(HttpMethod.Patch, Path, """
            [{"op":"add","path":"/status/allocations/-","value":{"nodeName":"c","sliceRange":"10.0.2.0/24"}},
             {"op":"add","path":"/status/allocations/1","value":{"nodeName":"b","sliceRange":"10.0.1.0/24"}},
             {"op":"replace","path":"/status/allocations/-1/nodeName","value":"c2"}]
            """, "application/json-patch+json");

        Assert.Equal(HttpStatusCode.OK, code);
        var nodes = cluster.Store.Get("nodeslicepools", "kube-system", "net")!["status"]!["allocations"]!.AsArray().Select(a => (string)a!["nodeName"]!);
        Assert.Equal(["a", "b", "c2"], nodes);
    }

    [Fact]
    public async Task Patch_ThatChangesNothing_KeepsResourceVersion()
    {
        await using var cluster = await StartWithPoolAsync();
        var before = await cluster.Client.GetPoolAsync("x");

        var patched = await cluster.Client.PatchPoolAsync("x", """[{"op":"replace","path":"/spec/range","value":"10.0.0.0/24"}]""");

        Assert.Equal(before.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Patch_Missing_Is404()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("missing", """[{"op":"add","path":"/spec/range","value":"r"}]"""));

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("ippools.whereabouts.cni.cncf.io \"missing\" not found", (string?)body["message"]);
    }

    [Fact]
    public async Task Patch_NotAnArray_Is400()
    {
        await using var cluster = await StartWithPoolAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", """{"op":"add"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("json: cannot unmarshal object into Go value of type jsonpatch.Patch", (string?)body["message"]);
    }

    [Fact]
    public async Task Patch_TooManyOperations_Is413()
    {
        await using var cluster = await StartWithPoolAsync();
        var operations = string.Join(',', Enumerable.Repeat("""{"op":"test","path":"/spec/range","value":"10.0.0.0/24"}""", 10001));

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", $"[{operations}]"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        Assert.Equal("Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001", (string?)body["message"]);
    }

    [Fact]
    public async Task Patch_ResultViolatingSchema_Is422Invalid()
    {
        await using var cluster = await StartWithPoolAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", """[{"op":"remove","path":"/spec/range"}]"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("IPPool.whereabouts.cni.cncf.io \"x\" is invalid: spec.range: Required value", (string?)body["message"]);
    }

    [Fact]
    public async Task Patch_ChangingUid_Is422Immutable()
    {
        await using var cluster = await StartWithPoolAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", """[{"op":"replace","path":"/metadata/uid","value":"u2"}]"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("IPPool.whereabouts.cni.cncf.io \"x\" is invalid: metadata.uid: Invalid value: \"u2\": field is immutable", (string?)body["message"]);
    }

    [Fact]
    public async Task Patch_ChangingName_Is400()
    {
        await using var cluster = await StartWithPoolAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", """[{"op":"replace","path":"/metadata/name","value":"y"}]"""));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("the name of the object (y) does not match the name on the URL (x)", (string?)body["message"]);
    }

    [Fact]
    public async Task Patch_UnsupportedContentType_Is415()
    {
        await using var cluster = await StartWithPoolAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Patch, Api.PoolPath("x"), "{}", "application/xml");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml","reason":"UnsupportedMediaType","code":415}""",
            body.TrimEnd('\n'));
    }

    [Fact]
    public async Task Patch_StrategicMergeOnCustomResource_Is415()
    {
        await using var cluster = await StartWithPoolAsync();

        var (code, _) = await Api.FailureAsync(() => cluster.Client.PatchPoolAsync("x", """{"spec":{"range":"r"}}""", V1Patch.PatchType.StrategicMergePatch));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
    }

    private static async Task<TestCluster> StartWithPoolAsync()
    {
        var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("x");
        pool.Spec.Allocations["1"] = new IpAllocation { Id = "a", PodRef = "ns/a" };
        await cluster.Client.CreatePoolAsync(pool);
        return cluster;
    }
}
