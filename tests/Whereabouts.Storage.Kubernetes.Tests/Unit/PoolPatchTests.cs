using Whereabouts.Core.Allocation;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Storage.Kubernetes.Tests.Unit;

public sealed class PoolPatchTests
{
    private static readonly PoolAllocation A = new("c1", "ns/p1", "net1");
    private static readonly PoolAllocation B = new("c2", "ns/p2", "eth0");
    private static readonly Dictionary<UInt128, PoolAllocation> Empty = [];

    [Fact]
    public void Build_NewOffset_TestsItIsFreeThenAdds()
    {
        var text = PoolPatch.Build("42", new Dictionary<UInt128, PoolAllocation> { [2] = B }, PoolChange.Upsert(5, A), replaceMap: false);

        Assert.Equal(
            """[{"op":"test","path":"/spec/allocations/5","value":null},""" +
            """{"op":"add","path":"/spec/allocations/5","value":{"id":"c1","podref":"ns/p1","ifname":"net1"}}]""",
            text);
    }

    [Fact]
    public void Build_RemovalsAndUpserts_GuardEachOffsetWithWhatWasRead()
    {
        var current = new Dictionary<UInt128, PoolAllocation> { [2] = A, [7] = B, [3] = B };
        var change = new PoolChange(new Dictionary<UInt128, PoolAllocation> { [9] = B, [3] = A }, [7, 2, 7]);

        var text = PoolPatch.Build("1", current, change, replaceMap: false);

        Assert.Equal(
            """[{"op":"test","path":"/spec/allocations/2/id","value":"c1"},{"op":"remove","path":"/spec/allocations/2"},""" +
            """{"op":"test","path":"/spec/allocations/7/id","value":"c2"},{"op":"remove","path":"/spec/allocations/7"},""" +
            """{"op":"test","path":"/spec/allocations/3/id","value":"c2"},""" +
            """{"op":"add","path":"/spec/allocations/3","value":{"id":"c1","podref":"ns/p1","ifname":"net1"}},""" +
            """{"op":"test","path":"/spec/allocations/9","value":null},""" +
            """{"op":"add","path":"/spec/allocations/9","value":{"id":"c2","podref":"ns/p2","ifname":"eth0"}}]""",
            text);
    }

    [Fact]
    public void Build_OffsetRemovedAndUpserted_OnlyReplaces()
    {
        var change = new PoolChange(new Dictionary<UInt128, PoolAllocation> { [4] = A }, [4]);

        var text = PoolPatch.Build("1", new Dictionary<UInt128, PoolAllocation> { [4] = B }, change, replaceMap: false);

        Assert.DoesNotContain("remove", text, StringComparison.Ordinal);
        Assert.Contains("""{"op":"test","path":"/spec/allocations/4/id","value":"c2"}""", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ReplaceMap_TestsVersionAndAddsWholeMapWithUpsertsOnly()
    {
        var change = new PoolChange(new Dictionary<UInt128, PoolAllocation> { [1] = A, [UInt128.MaxValue] = B }, [8]);

        var text = PoolPatch.Build("7", Empty, change, replaceMap: true);

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
    public void Build_EmptyChange_IsAnEmptyPatch()
    {
        Assert.Equal("[]", PoolPatch.Build("3", Empty, PoolChange.None, replaceMap: false));
    }

    [Fact]
    public void Build_ValuesNeedingEscapes_AreValidJson()
    {
        var current = new Dictionary<UInt128, PoolAllocation> { [1] = new("old\"id", "ns/x", "net1") };
        var text = PoolPatch.Build("1", current, PoolChange.Upsert(1, new PoolAllocation("c\\1", "ns/\"p\"", "net\u00e91")), replaceMap: false);

        using var document = System.Text.Json.JsonDocument.Parse(text);
        Assert.Equal("old\"id", document.RootElement[0].GetProperty("value").GetString());
        Assert.Equal("ns/\"p\"", document.RootElement[1].GetProperty("value").GetProperty("podref").GetString());
        Assert.Equal("net\u00e91", document.RootElement[1].GetProperty("value").GetProperty("ifname").GetString());
    }
}
