using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.LoadTest;

/// <summary>
/// The pool object and the reservations compared with what the processes reported. Duplicates are addresses handed to
/// more than one pod; mismatches are results the pool does not record for that container; orphans are allocations
/// without their reservation or reservations without their allocation.
/// </summary>
internal sealed record PoolCheck(int Allocations, int Reservations, int Duplicates, int Mismatches, int Orphans)
{
    public bool IsClean => Duplicates == 0 && Mismatches == 0 && Orphans == 0;

    /// <summary>Checks every pool of the namespace: the one pool of the range, or the nodes' slice pools.</summary>
    public static PoolCheck Run(KubeApiStore store, string @namespace, IReadOnlyList<CallResult> adds)
    {
        var entries = store.List("ippools", @namespace)
            .SelectMany(static pool =>
            {
                var range = pool["spec"]?["range"]?.GetValue<string>() ?? "0.0.0.0/32";
                return (pool["spec"]?["allocations"]?.AsObject() ?? [])
                    .Select(p => (Address: AddressOf(range, p.Key), ContainerId: p.Value!["id"]!.GetValue<string>(), PodRef: p.Value["podref"]!.GetValue<string>()));
            })
            .ToList();
        var reservations = store.List("overlappingrangeipreservations", @namespace)
            .Select(static r => (Name: r["metadata"]!["name"]!.GetValue<string>(), PodRef: r["spec"]!["podref"]!.GetValue<string>()))
            .ToList();

        var handedOut = adds.Where(static a => a.ExitCode == 0).Select(static a => (a.Call.ContainerId, Address: AddressIn(a.Stdout))).ToList();
        var duplicates = handedOut.Count - handedOut.Select(static h => h.Address).Distinct().Count()
            + entries.Count - entries.Select(static e => e.PodRef).Distinct().Count();
        var recorded = entries.ToDictionary(static e => e.ContainerId, static e => e.Address);
        var mismatches = handedOut.Count(h => !recorded.TryGetValue(h.ContainerId, out var address) || address != h.Address);
        var reserved = reservations.ToDictionary(static r => r.Name, static r => r.PodRef);
        var allocated = entries.Select(static e => e.Address).ToHashSet();
        var orphans = entries.Count(e => !reserved.TryGetValue(e.Address, out var podRef) || podRef != e.PodRef)
            + reservations.Count(r => !allocated.Contains(r.Name));
        return new PoolCheck(entries.Count, reservations.Count, duplicates, mismatches, orphans);
    }

    private static string AddressIn(string result) =>
        JsonNode.Parse(result)!["ips"]![0]!["address"]!.GetValue<string>().Split('/')[0];

    private static string AddressOf(string range, string offset)
    {
        var network = IPAddress.Parse(range[..range.IndexOf('/', StringComparison.Ordinal)]).GetAddressBytes();
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, BinaryPrimitives.ReadUInt32BigEndian(network) + uint.Parse(offset, CultureInfo.InvariantCulture));
        return new IPAddress(bytes).ToString();
    }
}
