using Whereabouts.Core.Allocation;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Storage.Kubernetes.Tests.Unit;

public sealed class PoolPatchTests
{
    private static readonly PoolAllocation A = new("c1", "ns/p1", "net1");
    private static readonly PoolAllocation B = new("c2", "ns/p2", "eth0");

    [Fact]
    public void Build_Upsert_TestsVersionThenAddsUnderOffset()
    {
        var text = PoolPatch.Build("42", PoolChange.Upsert(5, A), replaceMap: false);

        Assert.Equal(
            """[{"op":"test","path":"/metadata/resourceVersion","value":"42"},{"op":"add","path":"/spec/allocations/5","value":{"id":"c1","podref":"ns/p1","ifname":"net1"}}]""",
            text);
    }

    [Fact]
    public void Build_RemovalsAndUpserts_RemovesInOrderThenAdds()
    {
        var change = new PoolChange(new Dictionary<UInt128, PoolAllocation> { [9] = B, [3] = A }, [7, 2, 7]);

        var text = PoolPatch.Build("1", change, replaceMap: false);

        Assert.Equal(
            """[{"op":"test","path":"/metadata/resourceVersion","value":"1"},""" +
            """{"op":"remove","path":"/spec/allocations/2"},{"op":"remove","path":"/spec/allocations/7"},""" +
            """{"op":"add","path":"/spec/allocations/3","value":{"id":"c1","podref":"ns/p1","ifname":"net1"}},""" +
            """{"op":"add","path":"/spec/allocations/9","value":{"id":"c2","podref":"ns/p2","ifname":"eth0"}}]""",
            text);
    }

    [Fact]
    public void Build_OffsetRemovedAndUpserted_OnlyAdds()
    {
        var change = new PoolChange(new Dictionary<UInt128, PoolAllocation> { [4] = A }, [4]);

        var text = PoolPatch.Build("1", change, replaceMap: false);

        Assert.DoesNotContain("remove", text, StringComparison.Ordinal);
        Assert.Contains("\"/spec/allocations/4\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ReplaceMap_AddsWholeMapWithUpsertsOnly()
    {
        var change = new PoolChange(new Dictionary<UInt128, PoolAllocation> { [1] = A, [UInt128.MaxValue] = B }, [8]);

        var text = PoolPatch.Build("7", change, replaceMap: true);

        Assert.Equal(
            """[{"op":"test","path":"/metadata/resourceVersion","value":"7"},{"op":"add","path":"/spec/allocations","value":{""" +
            """"
            "1":{"id":"c1","podref":"ns/p1","ifname":"net1"},
            """" +
            """"
            "340282366920938463463374607431768211455":{"id":"c2","podref":"ns/p2","ifname":"eth0"}}}]
            """",
            text);
    }

    [Fact]
    public void Build_EmptyChange_IsOnlyTheVersionTest()
    {
        Assert.Equal(
            """[{"op":"test","path":"/metadata/resourceVersion","value":"3"}]""",
            PoolPatch.Build("3", PoolChange.None, replaceMap: false));
    }

    [Fact]
    public void Build_ValuesNeedingEscapes_AreValidJson()
    {
        var text = PoolPatch.Build("1\"2", PoolChange.Upsert(1, new PoolAllocation("c\\1", "ns/\"p\"", "net\u00e91")), replaceMap: false);

        using var document = System.Text.Json.JsonDocument.Parse(text);
        Assert.Equal("1\"2", document.RootElement[0].GetProperty("value").GetString());
        Assert.Equal("ns/\"p\"", document.RootElement[1].GetProperty("value").GetProperty("podref").GetString());
        Assert.Equal("net\u00e91", document.RootElement[1].GetProperty("value").GetProperty("ifname").GetString());
    }
}
