using Whereabouts.Core.Allocation;
using static Whereabouts.Core.Tests.Support.Addr;

namespace Whereabouts.Core.Tests.Allocation;

public sealed class SlicePlannerTests
{
    private static SliceAssignment A(string node, string slice) => new(node, Cidr(slice));

    private static string Show(SlicePlan plan) => string.Join(" ", plan.Slices.Select(static s => $"{s.Slice}={s.NodeName}"));

    private static readonly Func<SliceAssignment, bool> NothingInUse = static _ => false;

    [Fact]
    public void Plan_NewPool_NodesInNameOrderTakeTheLowestSlices()
    {
        var plan = SlicePlanner.Plan(Cidr("10.0.0.0/24"), 26, [], ["b", "a"], NothingInUse);

        Assert.Equal("10.0.0.0/26=a 10.0.0.64/26=b 10.0.0.128/26= 10.0.0.192/26=", Show(plan));
        Assert.Empty(plan.Unassigned);
    }

    [Fact]
    public void Plan_NewNode_GetsAFreeSliceAndNobodyMoves()
    {
        var current = new[] { A(string.Empty, "10.0.0.0/26"), A("z", "10.0.0.64/26"), A(string.Empty, "10.0.0.128/26"), A(string.Empty, "10.0.0.192/26") };

        var plan = SlicePlanner.Plan(Cidr("10.0.0.0/24"), 26, current, ["z", "a"], NothingInUse);

        Assert.Equal("10.0.0.0/26=a 10.0.0.64/26=z 10.0.0.128/26= 10.0.0.192/26=", Show(plan));
    }

    [Fact]
    public void Plan_DeletedNode_SliceFreedOnlyWhenNotInUse()
    {
        var current = new[] { A("gone-idle", "10.0.0.0/25"), A("gone-busy", "10.0.0.128/25") };

        var plan = SlicePlanner.Plan(Cidr("10.0.0.0/24"), 25, current, ["new"], a => a.NodeName == "gone-busy");

        Assert.Equal("10.0.0.0/25=new 10.0.0.128/25=gone-busy", Show(plan));
        Assert.Equal([A("gone-busy", "10.0.0.128/25")], plan.Retained);
    }

    [Fact]
    public void Plan_Exhausted_NodesLeftOverAreReported()
    {
        var plan = SlicePlanner.Plan(Cidr("10.0.0.0/24"), 25, [], ["a", "b", "c", "d"], NothingInUse);

        Assert.Equal("10.0.0.0/25=a 10.0.0.128/25=b", Show(plan));
        Assert.Equal(["c", "d"], plan.Unassigned);
    }

    [Fact]
    public void Plan_SmallerSlices_AssignmentsThatStillFitStay_IdleOnesMove_BusyOnesArePinned()
    {
        // /25 -> /26: a's slice no longer exists (idle: moves); b's neither, but it is in use (pinned, its /26s withheld).
        var current = new[] { A("a", "10.0.0.0/25"), A("b", "10.0.0.128/25") };

        var plan = SlicePlanner.Plan(Cidr("10.0.0.0/24"), 26, current, ["a", "b", "c"], x => x.NodeName == "b");

        Assert.Equal("10.0.0.0/26=a 10.0.0.64/26=c 10.0.0.128/25=b", Show(plan));
        Assert.Equal([A("b", "10.0.0.128/25")], plan.Pinned);
        Assert.Empty(plan.Unassigned);
    }

    [Fact]
    public void Plan_LargerRange_ExistingSlicesThatStillMatchStay()
    {
        var current = new[] { A(string.Empty, "10.0.0.0/26"), A("a", "10.0.0.64/26"), A("b", "10.0.0.128/26"), A(string.Empty, "10.0.0.192/26") };

        var plan = SlicePlanner.Plan(Cidr("10.0.0.0/23"), 26, current, ["a", "b", "c"], NothingInUse);

        Assert.Equal(8, plan.Slices.Count);
        Assert.Equal(["10.0.0.64/26=a", "10.0.0.128/26=b", "10.0.0.0/26=c"], plan.Slices.Where(static s => !s.IsFree).OrderBy(static s => s.NodeName, StringComparer.Ordinal).Select(static s => $"{s.Slice}={s.NodeName}"));
    }

    [Fact]
    public void Plan_RangeMovedAway_BusySliceIsPinnedOutsideTheNewRange()
    {
        var current = new[] { A("a", "10.0.0.0/26"), A("b", "10.0.0.64/26") };

        var plan = SlicePlanner.Plan(Cidr("10.1.0.0/25"), 26, current, ["a", "b"], x => x.NodeName == "a");

        Assert.Equal("10.0.0.0/26=a 10.1.0.0/26=b 10.1.0.64/26=", Show(plan));
        Assert.Equal([A("a", "10.0.0.0/26")], plan.Pinned);
    }

    [Fact]
    public void Plan_Ipv6_Works()
    {
        var plan = SlicePlanner.Plan(Cidr("fd00::/64"), 66, [A("a", "fd00::c000:0:0:0/66")], ["a", "b"], NothingInUse);

        Assert.Equal("fd00::/66=b fd00::4000:0:0:0/66= fd00::8000:0:0:0/66= fd00::c000:0:0:0/66=a", Show(plan));
    }
}
