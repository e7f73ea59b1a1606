using System.Collections.Concurrent;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary>What a pass reported, as <c>pool address podref</c> and <c>reservation name</c> strings.</summary>
internal sealed class RecordingReport : IReconcileReport
{
    public ConcurrentQueue<string> Allocations { get; } = new();

    public ConcurrentQueue<string> Reservations { get; } = new();

    public void Allocation(string @namespace, string pool, Ip? address, PoolAllocation allocation, string reason) =>
        Allocations.Enqueue($"{@namespace}/{pool} {address} {allocation.PodRef} {reason}");

    public void Reservation(string @namespace, string name, string podRef) => Reservations.Enqueue($"{@namespace}/{name}");
}
