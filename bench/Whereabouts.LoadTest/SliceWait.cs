using System.Diagnostics;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.LoadTest;

/// <summary>Waits until the slice controller has written a NodeSlicePool that gives every node a slice.</summary>
internal static class SliceWait
{
    public static async Task<TimeSpan> UntilEveryNodeHasASliceAsync(
        KubeApiStore store, string @namespace, string pool, IEnumerable<string> nodes, TimeSpan timeout)
    {
        var wanted = nodes.ToHashSet(StringComparer.Ordinal);
        var started = Stopwatch.GetTimestamp();
        while (!EveryNodeAssigned(store.Get("nodeslicepools", @namespace, pool), wanted))
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"NodeSlicePool {@namespace}/{pool} did not give all {wanted.Count} nodes a slice within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(20);
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private static bool EveryNodeAssigned(JsonObject? pool, HashSet<string> nodes)
    {
        var assigned = pool?["status"]?["allocations"]?.AsArray()
            .Select(static a => (string?)a?["nodeName"])
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal) ?? [];
        return nodes.IsSubsetOf(assigned);
    }
}
