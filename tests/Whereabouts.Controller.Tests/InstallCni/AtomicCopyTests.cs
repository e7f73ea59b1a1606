namespace Whereabouts.Controller.Tests.InstallCni;

public sealed class AtomicCopyTests : IDisposable
{
    private const int PluginSize = 8 * 1024 * 1024;
    private static readonly byte[] Script = FakeNode.PluginScript("padded");

    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task InstallCni_ReaderDuringUpgrades_OnlyEverSeesAWholeBinary()
    {
        WritePlugin(0x01);
        Assert.Equal(0, (await _node.RunAsync(_node.Args())).ExitCode);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() => ReadUntilStopped(_node.InstalledPlugin, stop.Token), TestContext.Current.CancellationToken);

        for (byte version = 2; version <= 7; version++)
        {
            WritePlugin(version);
            Assert.Equal(0, (await _node.RunAsync(_node.Args())).ExitCode);
        }

        await stop.CancelAsync();
        var (reads, torn) = await reader;
        Assert.True(reads > 0);
        Assert.Empty(torn);
        Assert.Equal(7, File.ReadAllBytes(_node.InstalledPlugin)[^1]);
        Assert.Equal(["whereabouts"], Directory.GetFiles(_node.BinDir).Select(Path.GetFileName));
    }

    /// <summary>A runnable plugin (install-cni runs it) padded to <see cref="PluginSize"/> with <paramref name="version"/>.</summary>
    private void WritePlugin(byte version)
    {
        var content = new byte[PluginSize];
        Array.Fill(content, version);
        Script.CopyTo(content, 0);
        File.WriteAllBytes(_node.PluginSource, content);
    }

    /// <summary>Reads the installed plugin over and over, as a runtime exec'ing it would; a torn read is a size or a byte mix.</summary>
    private static (int Reads, List<string> Torn) ReadUntilStopped(string path, CancellationToken stop)
    {
        var reads = 0;
        var torn = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var bytes = File.ReadAllBytes(path);
            reads++;
            var padding = bytes.AsSpan(Math.Min(Script.Length, bytes.Length));
            if (bytes.Length != PluginSize || padding.IndexOfAnyExcept(padding[0]) >= 0)
            {
                torn.Add($"read {reads}: {bytes.Length} bytes, last {bytes.LastOrDefault()}");
            }
        }

        return (reads, torn);
    }
}
