namespace Whereabouts.Cni.Tests;

public sealed class CniArgsTests
{
    public static TheoryData<string?, CniArgs> ValidCases => new()
    {
        { null, CniArgs.Empty },
        { "", CniArgs.Empty },

        // cni-contract §5.5 row 63 (pkg/types/args_test.go).
        { "IgnoreUnknown=True;Unk=nown", new CniArgs { IgnoreUnknown = true } },
        { "IgnoreUnknown=1", new CniArgs { IgnoreUnknown = true } },

        // IgnoreUnknown is evaluated after the loop: position does not matter.
        { "Unk=nown;IgnoreUnknown=true", new CniArgs { IgnoreUnknown = true } },
        { "IgnoreUnknown=false", CniArgs.Empty },
        { "IgnoreUnknown=False", CniArgs.Empty },
        { "IgnoreUnknown=0", CniArgs.Empty },

        // The reference lower-cases the value before matching.
        { "IgnoreUnknown=TRUE;Unk=nown", new CniArgs { IgnoreUnknown = true } },

        // What containerd sends (toCNILabels), in some order.
        {
            "K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod-1;K8S_POD_INFRA_CONTAINER_ID=abc123;K8S_POD_UID=0f1e;IgnoreUnknown=1",
            new CniArgs
            {
                K8sPodNamespace = "default",
                K8sPodName = "pod-1",
                K8sPodInfraContainerId = "abc123",
                K8sPodUid = "0f1e",
                IgnoreUnknown = true,
            }
        },

        // Known keys need no IgnoreUnknown.
        { "K8S_POD_NAME=p", new CniArgs { K8sPodName = "p" } },

        // K= (empty value) is accepted and differs from absent.
        { "K8S_POD_NAME=", new CniArgs { K8sPodName = "" } },
        { "IP=", CniArgs.Empty },

        // A repeated key keeps the last value.
        { "K8S_POD_NAME=a;K8S_POD_NAME=b", new CniArgs { K8sPodName = "b" } },

        // IP / GATEWAY: comma lists, trimmed, unvalidated; empty entries kept for the plugin to reject.
        { "IP=10.0.0.5", new CniArgs { Ip = ["10.0.0.5"] } },
        { "IP=10.0.0.5/24, 2001:db8::5/64", new CniArgs { Ip = ["10.0.0.5/24", "2001:db8::5/64"] } },
        { "IP=a,,b", new CniArgs { Ip = ["a", "", "b"] } },
        { "GATEWAY=10.0.0.1 ,2001:db8::1", new CniArgs { Gateway = ["10.0.0.1", "2001:db8::1"] } },

        // Values may contain characters other than '=' and ';'.
        { "K8S_POD_UID=a b,c/d:e", new CniArgs { K8sPodUid = "a b,c/d:e" } },
    };

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Parse_ValidInput_ReturnsArgs(string? raw, CniArgs expected)
    {
        var parsed = CniArgs.Parse(raw);

        Assert.Equal(expected, parsed);
        Assert.Equal(expected.Ip, parsed.Ip);
        Assert.Equal(expected.Gateway, parsed.Gateway);
    }

    [Theory]
    // cni-contract §1.4 and §5.5 row 63.
    [InlineData("Unk=nown", "ARGS: unknown args [\"Unk=nown\"]")]
    [InlineData("IgnoreUnknown=0;Unk=nown", "ARGS: unknown args [\"Unk=nown\"]")]
    [InlineData("IgnoreUnknown=false;A=1;B=2", "ARGS: unknown args [\"A=1\" \"B=2\"]")]

    // Keys are case-sensitive Go field names.
    [InlineData("k8s_pod_name=x", "ARGS: unknown args [\"k8s_pod_name=x\"]")]
    [InlineData("ignoreunknown=1;X=y", "ARGS: unknown args [\"ignoreunknown=1\" \"X=y\"]")]
    [InlineData("ip=10.0.0.5", "ARGS: unknown args [\"ip=10.0.0.5\"]")]

    // No whitespace trimming around pairs.
    [InlineData(" IP=10.0.0.5", "ARGS: unknown args [\" IP=10.0.0.5\"]")]

    // Every pair must split on '=' into exactly two parts.
    [InlineData("FOO", "ARGS: invalid pair \"FOO\"")]
    [InlineData("A=b=c", "ARGS: invalid pair \"A=b=c\"")]
    [InlineData("IP=10.0.0.5;", "ARGS: invalid pair \"\"")]
    [InlineData(";IP=10.0.0.5", "ARGS: invalid pair \"\"")]
    [InlineData("IP=10.0.0.5;;K8S_POD_NAME=p", "ARGS: invalid pair \"\"")]
    [InlineData(";", "ARGS: invalid pair \"\"")]

    // An invalid pair fails even when IgnoreUnknown is set earlier.
    [InlineData("IgnoreUnknown=1;junk", "ARGS: invalid pair \"junk\"")]

    // Bool values other than 1/true/0/false (any case).
    [InlineData("IgnoreUnknown=yes", "ARGS: error parsing value of pair \"IgnoreUnknown=yes\": boolean unmarshal error: invalid input yes")]
    [InlineData("IgnoreUnknown=", "ARGS: error parsing value of pair \"IgnoreUnknown=\": boolean unmarshal error: invalid input ")]
    [InlineData("IgnoreUnknown=2", "ARGS: error parsing value of pair \"IgnoreUnknown=2\": boolean unmarshal error: invalid input 2")]
    [InlineData("IgnoreUnknown= true", "ARGS: error parsing value of pair \"IgnoreUnknown= true\": boolean unmarshal error: invalid input  true")]

    // Go %q quoting of odd characters.
    [InlineData("A\"B=1", "ARGS: unknown args [\"A\\\"B=1\"]")]
    public void Parse_InvalidInput_ThrowsInvalidEnvironment(string raw, string message)
    {
        var ex = Assert.Throws<CniException>(() => CniArgs.Parse(raw));

        Assert.Equal(CniErrorCodes.InvalidEnvironment, ex.Code);
        Assert.Equal(message, ex.Error.Message);
        Assert.Null(ex.Error.Details);
    }

    [Fact]
    public void Equals_SameListContents_AreEqual()
    {
        var a = new CniArgs { Ip = ["10.0.0.5"], Gateway = ["10.0.0.1"] };
        var b = new CniArgs { Ip = new List<string> { "10.0.0.5" }, Gateway = new[] { "10.0.0.1" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Ip = ["10.0.0.6"] });
    }
}
