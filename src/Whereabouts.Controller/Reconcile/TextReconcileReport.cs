using System.Globalization;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Reconcile;

/// <summary>One line per release on stdout, <c>key=value</c> so that it reads and greps well.</summary>
internal sealed class TextReconcileReport(TextWriter output, bool dryRun) : IReconcileReport
{
    private readonly string _verb = dryRun ? "would release" : "released";

    public void Allocation(string @namespace, string pool, Ip? address, PoolAllocation allocation, string reason)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{_verb} allocation pool={@namespace}/{pool} address={address?.ToString() ?? "?"} podref={Show(allocation.PodRef)} ifname={Show(allocation.IfName)} container={Show(allocation.ContainerId)} reason={reason}"));
    }

    public void Reservation(string @namespace, string name, string podRef) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_verb} reservation name={@namespace}/{name} podref={Show(podRef)}"));

    private static string Show(string value) => value.Length == 0 ? "-" : value;
}
