using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.EndToEnd;

/// <summary>
/// ADDs killed with SIGKILL at random moments leave a store that reads cleanly and never holds one address twice;
/// the runtime's DEL after each failed ADD, and the next ADDs, go on working.
/// </summary>
public sealed class CrashLoopTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task AddKilledAtRandomMoments_StoreStaysValidWithoutDuplicates()
    {
        var data = _dir.Sub("state");
        var config = NetConf.Direct(data);
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(20261128);
        var killed = 0;

        for (var round = 0; round < 40; round++)
        {
            var tasks = Enumerable.Range(0, 3).Select(async worker =>
            {
                var container = $"r{round}w{worker}";
                using var process = Run.Start(Repo.Plugin, [], new CniCall("ADD", container) { Args = CniCall.PodArgs(container) }.Environment());
                await process.StandardInput.WriteAsync(config);
                process.StandardInput.Close();
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 12)), ct);
                if (!process.HasExited)
                {
                    process.Kill();
                    Interlocked.Increment(ref killed);
                }

                await process.WaitForExitAsync(ct);
            });
            await Task.WhenAll(tasks);

            AssertConsistent(data);
        }

        Assert.True(killed > 10, $"only {killed} processes were killed mid-flight; the test did not exercise crashes");

        // The runtime calls DEL for every failed ADD; then the store must be empty and fully usable.
        for (var round = 0; round < 40; round++)
        {
            for (var worker = 0; worker < 3; worker++)
            {
                var container = $"r{round}w{worker}";
                var del = await new CniCall("DEL", container) { Args = CniCall.PodArgs(container) }.RunAsync(Repo.Plugin, config);
                Assert.True(del.ExitCode == 0, del.ToString());
            }
        }

        Assert.Empty(FileState.Allocations(data));
        var fresh = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            new CniCall("ADD", $"after{i}") { Args = CniCall.PodArgs($"after{i}") }.RunAsync(Repo.Plugin, config)));
        Assert.All(fresh, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(["192.168.20.2/24", "192.168.20.3/24", "192.168.20.4/24", "192.168.20.5/24", "192.168.20.6/24"],
            fresh.Select(static r => CniCall.Addresses(r.Stdout).Single()).Order(StringComparer.Ordinal));
    }

    private static void AssertConsistent(string data)
    {
        var allocations = FileState.Allocations(data);
        Assert.Equal(allocations.Count, allocations.Select(static a => (a.Pool, a.Offset)).Distinct().Count());
        Assert.Equal(allocations.Count, allocations.Select(static a => (a.ContainerId, a.IfName)).Distinct().Count());

        // Every allocation has its reservation (reservations may outlive a killed ADD, never the reverse).
        var reservations = FileState.Reservations(data).ToHashSet();
        Assert.All(allocations, a => Assert.Contains($"192.168.20.{a.Offset}", reservations));
    }

    public void Dispose() => _dir.Dispose();
}
