using Whereabouts.Core.Net;

namespace Whereabouts.Core.Allocation;

/// <summary>What an assignment decided, and the pool change that carries it out.</summary>
/// <param name="Outcome">The decision.</param>
/// <param name="Address">The address for <see cref="AssignOutcome.Reused"/> and <see cref="AssignOutcome.Allocated"/>.</param>
/// <param name="Change">The change to write; empty when nothing needs writing.</param>
/// <param name="Holder">For <see cref="AssignOutcome.RequestedTaken"/>: the allocation that holds the address, when it is in this pool.</param>
public sealed record AssignPlan(AssignOutcome Outcome, Ip? Address, PoolChange Change, PoolAllocation? Holder = null)
{
    public bool Succeeded => Outcome is AssignOutcome.Reused or AssignOutcome.Allocated;
}
