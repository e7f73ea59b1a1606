using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

public sealed class ObjectMetaValidationTests
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    [Theory]
    [InlineData("Upper")]
    [InlineData("under_score")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("a..b")]
    [InlineData("spa ce")]
    public async Task Create_InvalidName_Is422WithRfc1123Message(string name)
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(IpPool.Create(name)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal($"IPPool.whereabouts.cni.cncf.io \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": {SubdomainMessage}", (string?)body["message"]);
        Assert.Equal(
            $$$"""{"reason":"FieldValueInvalid","message":"Invalid value: \"{{{name}}}\": {{{SubdomainMessage.Replace("\\", "\\\\", StringComparison.Ordinal)}}}","field":"metadata.name"}""",
            Api.Compact(body["details"]!["causes"]![0]!));
    }

    [Theory]
    [InlineData("10.0.0.0-24")]
    [InlineData("2001--2-3-1")]
    [InlineData("mynet-192.168.1.0-24")]
    [InlineData("a")]
    public async Task Create_WhereaboutsStyleNames_AreValid(string name)
    {
        await using var cluster = await TestCluster.StartAsync();

        var created = await cluster.Client.CreatePoolAsync(IpPool.Create(name));

        Assert.Equal(name, created.Metadata.Name);
    }

    [Fact]
    public async Task Create_NameOf254Characters_IsTooLong()
    {
        await using var cluster = await TestCluster.StartAsync();
        var name = new string('a', 254);

        var (_, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(IpPool.Create(name)));

        Assert.Equal($"IPPool.whereabouts.cni.cncf.io \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": must be no more than 253 characters", (string?)body["message"]);
    }

    [Fact]
    public async Task Create_NameOf253Characters_IsValid()
    {
        await using var cluster = await TestCluster.StartAsync();
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253];

        var created = await cluster.Client.CreatePoolAsync(IpPool.Create(name.TrimEnd('.')));

        Assert.NotNull(created.Metadata.Uid);
    }

    [Theory]
    [InlineData("Team", "must not contain dots")]
    [InlineData("a.b", "must not contain dots")]
    public async Task Namespace_NamesAreDnsLabels(string name, string expected)
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CoreV1.CreateNamespaceAsync(
            new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: Api.Token));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        var message = (string)body["message"]!;
        Assert.StartsWith($"Namespace \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": ", message, StringComparison.Ordinal);
        Assert.EndsWith(name == "Team" ? LabelMessage : expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidLabel_Is422()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("x");
        pool.Metadata.Labels = new Dictionary<string, string> { ["app"] = "bad value" };

        var (code, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(pool));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(
            "IPPool.whereabouts.cni.cncf.io \"x\" is invalid: metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            (string?)body["message"]);
    }

    [Fact]
    public async Task Create_AnnotationsOver256KiB_AreTooLong()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("x");
        pool.Metadata.Annotations = new Dictionary<string, string> { ["big"] = new string('x', 256 * 1024) };

        var (_, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(pool));

        Assert.Equal("IPPool.whereabouts.cni.cncf.io \"x\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes", (string?)body["message"]);
    }

    [Fact]
    public async Task Create_GenerateNameInvalid_ReportsBothFields()
    {
        await using var cluster = await TestCluster.StartAsync();
        var pool = IpPool.Create("");
        pool.Metadata.Name = null;
        pool.Metadata.GenerateName = "Bad-";

        var (_, body) = await Api.FailureAsync(() => cluster.Client.CreatePoolAsync(pool));

        var fields = body["details"]!["causes"]!.AsArray().Select(c => (string)c!["field"]!);
        Assert.Equal(["metadata.generateName", "metadata.name"], fields);
    }

    [Fact]
    public async Task Create_MetadataWithWrongType_Is400Decode()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, body, _) = await cluster.Http().SendAsync(HttpMethod.Post, Api.PoolPath(),
            """{"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","kind":"IPPool","metadata":{"name":"x","labels":"a=b"},"spec":{"range":"r","allocations":{}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.StartsWith("IPPool in version \"v1alpha1\" cannot be handled as a IPPool:", (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
    }
}
