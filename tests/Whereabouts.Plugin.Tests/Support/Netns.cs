namespace Whereabouts.Plugin.Tests.Support;

/// <summary>
/// A veth pair used as the macvlan master and a set of network namespaces, all with unique names, removed on dispose
/// even when the test failed.
/// </summary>
internal sealed class Netns : IAsyncDisposable
{
    private readonly List<string> _namespaces = [];

    private Netns(string master)
    {
        Master = master;
    }

    public string Master { get; }

    public IReadOnlyList<string> Namespaces => _namespaces;

    public static async Task<Netns> CreateAsync(int count)
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        var netns = new Netns($"wbm{id}");
        try
        {
            await Run.CheckedAsync("ip", "link", "add", netns.Master, "type", "veth", "peer", "name", $"wbp{id}");
            await Run.CheckedAsync("ip", "link", "set", netns.Master, "up");
            await Run.CheckedAsync("ip", "link", "set", $"wbp{id}", "up");
            for (var i = 0; i < count; i++)
            {
                var name = $"wbt-{id}-{i}";
                await Run.CheckedAsync("ip", "netns", "add", name);
                netns._namespaces.Add(name);
            }
        }
        catch
        {
            await netns.DisposeAsync();
            throw;
        }

        return netns;
    }

    public static string PathOf(string name) => $"/var/run/netns/{name}";

    public Task<string> ExecAsync(string ns, params string[] command) =>
        Run.CheckedAsync("ip", ["netns", "exec", ns, .. command]);

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _namespaces)
        {
            await Run.ProcessAsync("ip", ["netns", "del", name]);
        }

        // Deleting one end of the veth pair removes both.
        await Run.ProcessAsync("ip", ["link", "del", Master]);
    }
}
