namespace Whereabouts.Ipam.Stores;

/// <summary>Where the pod of an allocation is, as far as CNI GC on this host needs to know.</summary>
public enum AllocationPlacement
{
    /// <summary>Neither known nor provably gone: GC keeps the allocation.</summary>
    Unknown,

    /// <summary>The pod exists and runs on this host (a host-local store says this of everything).</summary>
    ThisHost,

    /// <summary>The pod exists and runs, or is scheduled, elsewhere: never released here.</summary>
    OtherHost,

    /// <summary>A fresh read found no pod of that name: nobody can still use the address.</summary>
    Gone,
}
