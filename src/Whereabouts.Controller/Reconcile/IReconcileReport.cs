using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Reconcile;

/// <summary>Where a pass reports each release (or, in a dry run, each release it would make).</summary>
internal interface IReconcileReport
{
    void Allocation(string @namespace, string pool, Ip? address, PoolAllocation allocation, string reason);

    void Reservation(string @namespace, string name, string podRef);
}
