using CsCheck;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Core.Tests.Properties;

public sealed class SlicePlannerProperties
{
    private static readonly string[] Names = ["n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9"];

    /// <summary>A stored layout of 10.0.0.0/size1 with some nodes on it, then a new range and size, the live nodes and what is in use.</summary>
    private static readonly Gen<(Cidr OldRange, int OldSize, bool[] Held, Cidr NewRange, int NewSize, bool[] Live, bool[] Busy)> Scenario =
        Gen.Select(Gen.Int[22, 26], Gen.Int[0, 3], Gen.Int[22, 26], Gen.Int[0, 3], Gen.Int[0, 2])
            .SelectMany(t => Gen.Select(
                Gen.Bool.Array[1 << t.Item2],
                Gen.Bool.Array[Names.Length],
                Gen.Bool.Array[Names.Length],
                (held, live, busy) => (
                    Cidr.Parse($"10.0.0.0/{t.Item1}"), t.Item1 + t.Item2, held,
                    Cidr.Parse($"10.0.{t.Item5 * 4}.0/{t.Item3}"), t.Item3 + t.Item4, live, busy)));

    [Fact]
    public void Plan_KeepsWhatIsInUse_NeverOverlaps_AssignsWhileSlicesLast()
    {
        Scenario.Sample(
            s =>
            {
                var old = SliceLayout.Divide(s.OldRange, s.OldSize);
                var current = old.Select((slice, i) => new SliceAssignment(s.Held[i] && i < Names.Length ? Names[i] : string.Empty, slice)).ToList();
                var live = Names.Where((_, i) => s.Live[i]).ToList();
                bool InUse(SliceAssignment a) => s.Busy[Array.IndexOf(Names, a.NodeName)];

                var plan = SlicePlanner.Plan(s.NewRange, s.NewSize, current, live, InUse);

                for (var i = 0; i < plan.Slices.Count; i++)
                {
                    for (var j = i + 1; j < plan.Slices.Count; j++)
                    {
                        var (a, b) = (plan.Slices[i].Slice, plan.Slices[j].Slice);
                        Assert.False(a.Network.Value <= b.Last.Value && b.Network.Value <= a.Last.Value, $"{a} overlaps {b}");
                    }
                }

                var assigned = plan.Slices.Where(static a => !a.IsFree).ToList();
                Assert.Equal(assigned.Count, assigned.Select(static a => a.NodeName).Distinct().Count());
                foreach (var held in current.Where(a => !a.IsFree && InUse(a)))
                {
                    Assert.Contains(held, plan.Slices);
                }

                foreach (var a in assigned.Where(a => !live.Contains(a.NodeName)))
                {
                    Assert.True(InUse(a), $"{a.NodeName} is gone and idle but keeps {a.Slice}");
                }

                Assert.Equal(live.Where(n => !assigned.Any(a => a.NodeName == n)).Order(StringComparer.Ordinal), plan.Unassigned);
                if (plan.Unassigned.Count > 0)
                {
                    Assert.DoesNotContain(plan.Slices, static a => a.IsFree);
                }

                Assert.All(plan.Slices.Where(a => !plan.Pinned.Contains(a)), a => Assert.Equal(s.NewSize, a.Slice.PrefixLength));
            },
            iter: 3000);
    }
}
