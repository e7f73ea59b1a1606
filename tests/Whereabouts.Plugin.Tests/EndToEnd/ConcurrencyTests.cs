using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.EndToEnd;

/// <summary>Many plugin processes at once on one pool: the file datastore's lock and compare-and-swap keep addresses unique.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task FiftyParallelAddProcesses_GetFiftyDistinctAddresses()
    {
        var data = _dir.Sub("state");
        var config = NetConf.Direct(data);
        var ct = TestContext.Current.CancellationToken;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            new CniCall("ADD", $"c{i}") { Args = CniCall.PodArgs($"pod-{i}") }.RunAsync(Repo.Plugin, config)));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var addresses = results.Select(static r => CniCall.Addresses(r.Stdout).Single()).ToList();
        Assert.Equal(50, addresses.Distinct().Count());
        var allocations = FileState.Allocations(data);
        Assert.Equal(50, allocations.Count);
        Assert.Equal(50, allocations.Select(static a => a.Offset).Distinct().Count());
        Assert.Equal(50, FileState.Reservations(data).Count);

        // Every address handed out is the one the pool records for that container.
        for (var i = 0; i < results.Length; i++)
        {
            var offset = CniCall.Addresses(results[i].Stdout).Single().Split('/')[0].Split('.')[3];
            Assert.Contains(allocations, a => a.ContainerId == $"c{i}" && a.Offset == offset);
        }
    }

    public void Dispose() => _dir.Dispose();
}
