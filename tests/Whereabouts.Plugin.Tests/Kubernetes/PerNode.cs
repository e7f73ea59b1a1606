namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// Runs pod calls all at once, spread round-robin over simulated nodes, with at most a given number in flight per node
/// (as a kubelet bounds its parallel sandbox creations).
/// </summary>
internal static class PerNode
{
    public static string NodeOf(int pod, int nodes) => $"node-{pod % nodes}";

    public static async Task<T[]> RunAsync<T>(int pods, int nodes, int perNode, Func<int, string, Task<T>> call)
    {
        var gates = Enumerable.Range(0, nodes).Select(_ => new SemaphoreSlim(perNode)).ToArray();
        try
        {
            return await Task.WhenAll(Enumerable.Range(0, pods).Select(async pod =>
            {
                var gate = gates[pod % nodes];
                await gate.WaitAsync(TestContext.Current.CancellationToken);
                try
                {
                    return await call(pod, NodeOf(pod, nodes));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        finally
        {
            foreach (var gate in gates)
            {
                gate.Dispose();
            }
        }
    }
}
