using System.Diagnostics;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.LoadTest;

/// <summary>Starts every call of a round at once, at most <c>perNode</c> in flight per node, and measures the round.</summary>
internal sealed class RoundRunner(KubeApiServer server, PluginProcess plugin, int perNode)
{
    public async Task<RoundResult> RunAsync(string name, IReadOnlyList<PodCall> calls)
    {
        var gates = calls.Select(static c => c.Node).Distinct().ToDictionary(static n => n, _ => new SemaphoreSlim(perNode));
        try
        {
            server.Counters.Reset();
            var childCpu = ChildCpu.Used();
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.StartNew();
            var results = await Task.WhenAll(calls.Select(async call =>
            {
                var gate = gates[call.Node];
                await gate.WaitAsync();
                try
                {
                    return await plugin.RunAsync(call);
                }
                finally
                {
                    gate.Release();
                }
            }));
            var elapsed = started.Elapsed;
            return new RoundResult(name, results, elapsed, server.Counters.Snapshot(),
                ChildCpu.Used() - childCpu, Process.GetCurrentProcess().TotalProcessorTime - ownCpu);
        }
        finally
        {
            foreach (var gate in gates.Values)
            {
                gate.Dispose();
            }
        }
    }
}
