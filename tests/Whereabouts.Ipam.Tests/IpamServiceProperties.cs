using CsCheck;
using static Whereabouts.Ipam.Tests.Support.ChurnScenario;

namespace Whereabouts.Ipam.Tests;

/// <summary>Random ADD/DEL churn with injected faults and conflicts; see <see cref="ChurnScenario"/> for the networks.</summary>
public sealed class IpamServiceProperties
{
    private static readonly Gen<ChurnStep> AnyStep =
        Gen.Select(Gen.Int[0, Owners - 1], Gen.Enum<StepKind>(), Gen.Int[1, 14]).Select((owner, kind, requested) => new ChurnStep(owner, kind, requested));

    private static readonly Gen<int> Percent = Gen.Int[0, 30];

    public enum StepKind
    {
        Add,

        /// <summary>The pod is re-created under the same name without the old container's DEL (a StatefulSet after a node loss).</summary>
        AddFromNewContainer,

        AddRequesting,
        Del,
    }

    [Fact]
    public async Task AddAndDel_RandomSequences_KeepPoolsSoundIdempotentAndLeaveNothingBehind()
    {
        await Gen.Select(AnyStep.Array[1, 40], Percent, Percent, Gen.Int).SampleAsync(
            async (steps, faults, conflicts, seed) =>
            {
                var store = new FakeIpamStore();
                var service = Services.Over(store, Options);
                InjectTrouble(store, faults, conflicts, seed);
                var generations = new int[Owners];
                var known = new IReadOnlyList<Ip>?[Owners];
                Array.Fill(known, []);

                foreach (var step in steps)
                {
                    known[step.Owner] = await RunAsync(store, service, step, generations, known[step.Owner]);
                    AssertPoolsSound(store);
                    AssertReservationsCoverPools(store);
                }

                await ReleaseEverythingAsync(store, service, generations);
            },
            iter: 300);
    }

    [Fact]
    public async Task AddAndDel_OwnersRacingEachOther_KeepPoolsSoundAndLeaveNothingBehind()
    {
        await Gen.Select(Gen.Enum<StepKind>().Array[1, 8].Array[Owners], Percent, Percent, Gen.Int).SampleAsync(
            async (plans, faults, conflicts, seed) =>
            {
                var store = new FakeIpamStore();
                var service = Services.Over(store, Options);
                InjectTrouble(store, faults, conflicts, seed);
                var generations = new int[Owners];

                await Task.WhenAll(plans.Select((plan, owner) => Task.Run(async () =>
                {
                    IReadOnlyList<Ip>? known = [];
                    foreach (var kind in plan)
                    {
                        known = await RunAsync(store, service, new ChurnStep(owner, kind, 2 + owner), generations, known);
                        AssertPoolsSound(store);
                    }
                })));

                AssertReservationsCoverPools(store);
                await ReleaseEverythingAsync(store, service, generations);
            },
            iter: 100);
    }

    /// <summary>Runs one step and returns what the owner is known to hold afterwards (null: unknown after a failure).</summary>
    private static async Task<IReadOnlyList<Ip>?> RunAsync(
        FakeIpamStore store, IpamService service, ChurnStep step, int[] generations, IReadOnlyList<Ip>? known)
    {
        var config = ConfigOf(step.Owner);
        if (step.Kind == StepKind.AddFromNewContainer)
        {
            generations[step.Owner]++;
        }

        var owner = OwnerOf(step.Owner, generations[step.Owner]);
        try
        {
            if (step.Kind == StepKind.Del)
            {
                await service.ReleaseAsync(config, owner.ContainerId, owner.IfName, CancellationToken.None);
                Assert.DoesNotContain(store.Pools.Entries(), e => owner.IsAttachment(e.Allocation));
                return [];
            }

            var requested = step.Kind == StepKind.AddRequesting ? [Ip.Parse($"10.0.0.{step.Requested}")] : Array.Empty<Ip>();
            var result = await service.AllocateAsync(new AllocationRequest(config, owner) { RequestedAddresses = requested }, CancellationToken.None);
            AssertResult(store, config, owner, result);
            var addresses = result.Select(a => a.Address).ToList();
            if (requested.Length == 0 && known is { Count: > 0 })
            {
                Assert.Equal(known, addresses);
            }

            return addresses;
        }
        catch (IpamException)
        {
            return null;
        }
    }

    /// <summary>Releases every container any owner ever used, without faults, and checks that nothing is left.</summary>
    private static async Task ReleaseEverythingAsync(FakeIpamStore store, IpamService service, int[] generations)
    {
        StopTrouble(store);
        for (var owner = 0; owner < Owners; owner++)
        {
            for (var generation = 0; generation <= generations[owner]; generation++)
            {
                await service.ReleaseAsync(ConfigOf(owner), OwnerOf(owner, generation).ContainerId, "net1", CancellationToken.None);
            }
        }

        Assert.Empty(store.Pools.Entries());
        Assert.Empty(store.Reservations.All());
    }

    public sealed record ChurnStep(int Owner, StepKind Kind, int Requested);
}
