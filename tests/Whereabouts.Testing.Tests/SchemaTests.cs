using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Whereabouts.Testing.KubeApi;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

/// <summary>The CRD schemas come from deploy/crds and are applied as a structural schema: pruning, then validation.</summary>
public sealed class SchemaTests
{
    public static TheoryData<string, string, string> InvalidPools => new()
    {
        {
            """{"range":5,"allocations":{}}""",
            "spec.range: Invalid value: \"integer\": spec.range in body must be of type string: \"integer\"",
            """{"reason":"FieldValueTypeInvalid","message":"Invalid value: \"integer\": spec.range in body must be of type string: \"integer\"","field":"spec.range"}"""
        },
        {
            """{"allocations":{}}""",
            "spec.range: Required value",
            """{"reason":"FieldValueRequired","message":"Required value","field":"spec.range"}"""
        },
        {
            """{"range":"10.0.0.0/24","allocations":{"4":{"podref":"ns/p"}}}""",
            "spec.allocations.4.id: Required value",
            """{"reason":"FieldValueRequired","message":"Required value","field":"spec.allocations.4.id"}"""
        },
        {
            """{"range":"10.0.0.0/24","allocations":[]}""",
            "spec.allocations: Invalid value: \"array\": spec.allocations in body must be of type object: \"array\"",
            """{"reason":"FieldValueTypeInvalid","message":"Invalid value: \"array\": spec.allocations in body must be of type object: \"array\"","field":"spec.allocations"}"""
        },
        {
            """{"range":"10.0.0.0/24","allocations":{"1":{"id":7,"podref":"ns/p"}}}""",
            "spec.allocations.1.id: Invalid value: \"integer\": spec.allocations.1.id in body must be of type string: \"integer\"",
            """{"reason":"FieldValueTypeInvalid","message":"Invalid value: \"integer\": spec.allocations.1.id in body must be of type string: \"integer\"","field":"spec.allocations.1.id"}"""
        },
    };

    [Theory]
    [MemberData(nameof(InvalidPools))]
    public async Task Create_InvalidPool_Is422WithCause(string spec, string message, string cause)
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath(),
            $$$"""{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool","metadata":{"name":"x"},"spec":{{{spec}}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        var status = JsonNode.Parse(body)!;
        Assert.Equal($"IPPool.whereabouts.cni.cncf.io \"x\" is invalid: {message}", (string?)status["message"]);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal(cause, Api.Compact(status["details"]!["causes"]![0]!));
        Assert.Null(cluster.Store.Get("ippools", Api.Namespace, "x"));
    }

    [Fact]
    public async Task Create_SeveralErrors_AggregatesThemInBrackets()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (_, body, _) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath(),
            """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool","metadata":{"name":"x"},"spec":{}}""");

        Assert.Equal("IPPool.whereabouts.cni.cncf.io \"x\" is invalid: [spec.allocations: Required value, spec.range: Required value]",
            (string?)JsonNode.Parse(body)!["message"]);
    }

    [Fact]
    public async Task Create_UnknownFields_ArePrunedMetadataKept()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, response) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath(), """
            {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool","top":1,
             "metadata":{"name":"x","labels":{"a":"b"},"annotations":{"c":"d"},"bogus":"drop"},
             "spec":{"range":"10.0.0.0/24","extra":true,"allocations":{"1":{"id":"c","podref":"ns/p","ifname":"net1","ipamclaimref":"ns/claim"}}},
             "status":{"anything":1}}
            """);

        Assert.Equal(HttpStatusCode.Created, code);
        var stored = cluster.Store.Get("ippools", Api.Namespace, "x")!;
        Assert.Equal(body.TrimEnd('\n'), Api.Compact(stored));
        Assert.Null(stored["top"]);
        Assert.Null(stored["status"]);
        Assert.Null(stored["metadata"]!["bogus"]);
        Assert.Equal("b", (string?)stored["metadata"]!["labels"]!["a"]);
        Assert.Equal("""{"allocations":{"1":{"id":"c","ifname":"net1","podref":"ns/p"}},"range":"10.0.0.0/24"}""", stored["spec"]!.ToJsonString());
        Assert.Equal(
            [
                "299 - \"unknown field \\\"metadata.bogus\\\"\"",
                "299 - \"unknown field \\\"top\\\"\"",
                "299 - \"unknown field \\\"spec.extra\\\"\"",
                "299 - \"unknown field \\\"spec.allocations[1].ipamclaimref\\\"\"",
                "299 - \"unknown field \\\"status\\\"\"",
            ],
            response.Headers.GetValues("Warning"));
    }

    [Fact]
    public async Task Create_UnknownFieldWithStrictValidation_Is400AndStoresNothing()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath() + "?fieldValidation=Strict",
            """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool","metadata":{"name":"x"},"spec":{"range":"r","allocations":{},"junk":1,"more":2}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("IPPool in version \"v1alpha1\" cannot be handled as a IPPool: strict decoding error: unknown field \"spec.junk\", unknown field \"spec.more\"",
            (string?)JsonNode.Parse(body)!["message"]);
        Assert.Null(cluster.Store.Get("ippools", Api.Namespace, "x"));
    }

    [Fact]
    public async Task Create_DuplicateField_KeepsTheLastValueWithAWarning()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, _, response) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath(),
            """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool","metadata":{"name":"x"},"spec":{"range":"a","range":"b","allocations":{}}}""");
        var (strict, strictBody, _) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath() + "?fieldValidation=Strict",
            """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool","metadata":{"name":"y"},"spec":{"range":"a","range":"b","allocations":{}}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("b", (string?)cluster.Store.Get("ippools", Api.Namespace, "x")!["spec"]!["range"]);
        Assert.Equal(["299 - \"duplicate field \\\"spec.range\\\"\""], response.Headers.GetValues("Warning"));
        Assert.Equal(HttpStatusCode.BadRequest, strict);
        Assert.EndsWith("strict decoding error: duplicate field \"spec.range\"", (string?)JsonNode.Parse(strictBody)!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownFieldWithIgnore_HasNoWarning()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, _, response) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath() + "?fieldValidation=Ignore",
            """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool","metadata":{"name":"x"},"spec":{"range":"r","allocations":{},"junk":1}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.False(response.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task Create_NullOfNonNullableField_IsDroppedBeforeValidation()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath(),
            """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool","metadata":{"name":"x"},"spec":{"range":null,"allocations":{}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("IPPool.whereabouts.cni.cncf.io \"x\" is invalid: spec.range: Required value", (string?)JsonNode.Parse(body)!["message"]);
    }

    [Fact]
    public async Task Reservation_WithoutSpec_IsRequired()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Post,
            "apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/kube-system/overlappingrangeipreservations",
            """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"OverlappingRangeIPReservation","metadata":{"name":"10.0.0.1"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("OverlappingRangeIPReservation.whereabouts.cni.cncf.io \"10.0.0.1\" is invalid: spec: Required value", (string?)JsonNode.Parse(body)!["message"]);
    }

    [Fact]
    public async Task Reservation_AsUpstreamWritesIt_Validates()
    {
        await using var cluster = await TestCluster.StartAsync();
        var reservation = new OverlappingRangeIpReservation
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "2001--2-3-1" },
            Spec = new ReservationSpec { PodRef = "default/pod-1" },
        };

        var created = await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync<OverlappingRangeIpReservation>(
            reservation, IpPool.Group, IpPool.Version, Api.Namespace, OverlappingRangeIpReservation.Plural, cancellationToken: Api.Token);

        Assert.Equal("default/pod-1", created.Spec.PodRef);
        Assert.Null(created.Spec.ContainerId);
    }

    [Fact]
    public async Task NodeSlicePool_StatusItems_ReportIndexedPaths()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Post,
            "apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/kube-system/nodeslicepools",
            """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"NodeSlicePool","metadata":{"name":"net"},"spec":{"range":"10.0.0.0/8","sliceSize":"/24"},"status":{"allocations":[{"sliceRange":"10.0.0.0/24"}]}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("NodeSlicePool.whereabouts.cni.cncf.io \"net\" is invalid: status.allocations[0].nodeName: Required value", (string?)JsonNode.Parse(body)!["message"]);
    }

    [Fact]
    public async Task Schema_IsReadFromTheCrdDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "crds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string source;
            await using (var defaults = await TestCluster.StartAsync())
            {
                source = await File.ReadAllTextAsync(Path.Combine(defaults.Server.CrdDirectory, "whereabouts.cni.cncf.io_ippools.yaml"), Api.Token);
            }

            var stricter = source.Replace("                - allocations\n                - range\n", "                - allocations\n                - range\n                - owner\n", StringComparison.Ordinal)
                .Replace("                range:\n                  type: string\n", "                range:\n                  type: string\n                owner:\n                  type: string\n", StringComparison.Ordinal);
            Assert.NotEqual(source, stricter);
            await File.WriteAllTextAsync(Path.Combine(directory, "ippools.yaml"), stricter, Api.Token);
            await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { CrdDirectory = directory });

            var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(IpPool.Create("x")));

            Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
            Assert.Equal("IPPool.whereabouts.cni.cncf.io \"x\" is invalid: spec.owner: Required value", (string?)body["message"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Update_InvalidChange_Is422AndKeepsStoredObject()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = await cluster.Client.CreatePoolAsync(IpPool.Create("x"));
        pool.Spec.Allocations["1"] = new IpAllocation { Id = "", PodRef = "" };
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(pool, TestJsonContext.Default.IpPool))!.AsObject();
        body["spec"]!["allocations"]!["1"]!.AsObject().Remove("id");

        var (code, response, _) = await cluster.Http().SendAsync(HttpMethod.Put, Api.PoolPath("x"), body.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("IPPool.whereabouts.cni.cncf.io \"x\" is invalid: spec.allocations.1.id: Required value", (string?)JsonNode.Parse(response)!["message"]);
        Assert.Empty(cluster.Store.Get("ippools", Api.Namespace, "x")!["spec"]!["allocations"]!.AsObject());
    }
}
