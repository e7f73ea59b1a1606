using BenchmarkDotNet.Attributes;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Benchmarks;

/// <summary>Allocating one address from a crowded pool: the planner (including reading the pool) and the allocator alone.</summary>
[MemoryDiagnoser]
public class AllocationBenchmarks
{
    private static readonly AllocationOwner Owner = new("new-container", "default/new-pod", "net1");

    private PoolScenario _pool = null!;

    [ParamsSource(nameof(Scenarios))]
    public string Scenario { get; set; } = "";

    public static IEnumerable<string> Scenarios => PoolScenario.Names;

    [GlobalSetup]
    public void Setup()
    {
        _pool = PoolScenario.Create(Scenario);
        var plan = PoolPlanner.Assign(_pool.Range, _pool.Base, _pool.Allocations, Owner);
        if (plan.Outcome != AssignOutcome.Allocated || Allocator.FindLowestFree(_pool.Range, _pool.ReservedValues) != plan.Address)
        {
            throw new InvalidOperationException($"{Scenario}: the planner and the allocator disagree ({plan.Outcome} {plan.Address})");
        }
    }

    [Benchmark(Baseline = true)]
    public AssignPlan PoolPlannerAssign() => PoolPlanner.Assign(_pool.Range, _pool.Base, _pool.Allocations, Owner);

    [Benchmark]
    public Ip? AllocatorFindLowestFree() => Allocator.FindLowestFree(_pool.Range, _pool.ReservedValues);
}
