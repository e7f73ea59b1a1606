using k8s.Models;
using Whereabouts.Controller.NodeController;

namespace Whereabouts.Controller.Tests.NodeController;

public sealed class PodNetworksTests
{
    public static TheoryData<string, string[]> Requests => new()
    {
        { "net1", ["app/net1"] },
        { "net1, other/net2 ,net3@eth7", ["app/net1", "other/net2", "app/net3"] },
        { "net1,net1", ["app/net1"] },
        { """[{"name":"net1"},{"name":"net2","namespace":"other","interface":"eth1"}]""", ["app/net1", "other/net2"] },
        { """[{"name":"other/net2"}]""", ["other/net2"] },
        { "", [] },
        { "[not json", [] },
        { """{"name":"net1"}""", [] },
        { "a/b/c, /x, y/", [] },
    };

    public static TheoryData<string?, string[]> Statuses => new()
    {
        { null, [] },
        { """[{"name":"cbr0","default":true,"ips":["10.244.0.5"]},{"name":"app/net1","interface":"net1","ips":["10.5.0.7"]}]""", ["app/net1"] },
        { """[{"name":"net2","interface":"net1"}]""", ["app/net2"] },
        { "garbage", [] },
        { """[{"interface":"net1"}]""", [] },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Of_NetworksAnnotation_QualifiedNames(string annotation, string[] expected) =>
        Assert.Equal(expected, Names(Pod(new() { ["k8s.v1.cni.cncf.io/networks"] = annotation })));

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Of_NetworkStatusOnly_NonDefaultEntriesAsHints(string? status, string[] expected)
    {
        var annotations = new Dictionary<string, string>();
        if (status is not null)
        {
            annotations["k8s.v1.cni.cncf.io/network-status"] = status;
        }

        Assert.Equal(expected, Names(Pod(annotations)));
    }

    [Fact]
    public void Of_RequestAndStatus_Union()
    {
        var pod = Pod(new()
        {
            ["k8s.v1.cni.cncf.io/networks"] = "net1",
            ["k8s.v1.cni.cncf.io/network-status"] = """[{"name":"app/net1"},{"name":"app/late"}]""",
        });

        Assert.Equal(["app/net1", "app/late"], Names(pod));
    }

    [Fact]
    public void TrackedPodFrom_NoSecondaryNetwork_Null() =>
        Assert.Null(TrackedPod.From(Pod([])));

    private static V1Pod Pod(Dictionary<string, string> annotations) =>
        new() { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "app", Uid = "u1", Annotations = annotations } };

    private static string[] Names(V1Pod pod) => [.. PodNetworks.Of(pod).Select(n => n.ToString())];
}
