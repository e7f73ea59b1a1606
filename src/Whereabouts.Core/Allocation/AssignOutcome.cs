namespace Whereabouts.Core.Allocation;

public enum AssignOutcome
{
    /// <summary>The owner already held a valid address in this pool; it is returned again.</summary>
    Reused,

    /// <summary>A new address was chosen.</summary>
    Allocated,

    /// <summary>Every address of the range is allocated, excluded or the gateway.</summary>
    Exhausted,

    /// <summary>The requested address is held by another pod.</summary>
    RequestedTaken,

    /// <summary>The requested address is outside the usable window, excluded, or the gateway.</summary>
    RequestedNotAllowed,
}
