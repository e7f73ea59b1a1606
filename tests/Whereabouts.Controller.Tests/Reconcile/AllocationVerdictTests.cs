using k8s.Models;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Core.Allocation;

namespace Whereabouts.Controller.Tests.Reconcile;

public sealed class AllocationVerdictTests
{
    public static TheoryData<string, string?, bool, bool, string> Cases => new()
    {
        // podref, phase of the pod of that name (null: no such pod), terminating, released, reason
        { "default/gone", null, false, true, "pod-gone" },
        { "default/job", "Succeeded", false, true, "pod-succeeded" },
        { "default/job", "Failed", false, true, "pod-failed" },
        { "default/job", "Failed", true, true, "pod-failed" },
        { "default/web", "Pending", false, false, "pending" },
        { "default/web", "Running", false, false, "running" },
        { "default/web", "Unknown", false, false, "unknown-phase" },
        { "default/web", "", false, false, "no-phase" },
        { "default/web", "Running", true, false, "terminating" },
        { "default/web", "Pending", true, false, "terminating" },
        { "", null, false, false, "no-podref" },
        { "web", null, false, false, "bad-podref" },
        { "default/web/0", null, false, false, "bad-podref" },
        { "/web", null, false, false, "bad-podref" },
        { "default/", null, false, false, "bad-podref" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void For_PodState_ReleasesOnlyWithoutALivePod(string podRef, string? phase, bool terminating, bool released, string reason)
    {
        var pods = new List<V1Pod>();
        if (phase is not null)
        {
            pods.Add(new V1Pod
            {
                Metadata = new V1ObjectMeta
                {
                    Name = podRef.Split('/')[1],
                    NamespaceProperty = podRef.Split('/')[0],
                    Uid = "uid-1",
                    DeletionTimestamp = terminating ? DateTime.UtcNow : null,
                },
                Status = new V1PodStatus { Phase = phase.Length == 0 ? null : phase },
            });
        }

        var verdict = AllocationVerdict.For(new PoolAllocation("c1", podRef, "net1"), PodDirectory.From(pods));

        Assert.Equal((released, reason), (verdict.Release, verdict.Reason));
    }

    [Fact]
    public void For_PodOfOtherNamespace_DoesNotCount()
    {
        var pods = PodDirectory.From([new V1Pod { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "other", Uid = "u" }, Status = new V1PodStatus { Phase = "Running" } }]);

        Assert.True(AllocationVerdict.For(new PoolAllocation("c1", "default/web", "net1"), pods).Release);
    }
}
