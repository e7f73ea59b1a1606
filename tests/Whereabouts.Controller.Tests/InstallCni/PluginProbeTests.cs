using System.Diagnostics;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.InstallCni;

namespace Whereabouts.Controller.Tests.InstallCni;

/// <summary>
/// install-cni runs the plugin it installed for VERSION: one that cannot run on the node stops it with exit code 6 and
/// one line naming the plugin and why, instead of a DaemonSet pod that turns ready while every ADD fails.
/// </summary>
public sealed class PluginProbeTests : IDisposable
{
    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task InstallCni_PluginGetsVersionCommandAndConfigOnStdin()
    {
        var seen = Path.Join(_node.Root, "seen");
        WritePlugin($"printf '%s ' \"$CNI_COMMAND\" > {seen}; cat >> {seen}; echo '{FakeNode.VersionAnswer}'");

        var run = await _node.RunAsync(_node.Args());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""VERSION {"cniVersion":"1.0.0"}""", File.ReadAllText(seen));
    }

    [Fact]
    public async Task InstallCni_HostLoaderRefusesThePlugin_Exit6_OneLineWithTheLoadersReason()
    {
        const string LoaderError = "/opt/cni/bin/whereabouts: /lib64/libc.so.6: version `GLIBC_2.34' not found (required by /opt/cni/bin/whereabouts)";
        WritePlugin($"echo \"{LoaderError.Replace("`", "\\`", StringComparison.Ordinal)}\" >&2; exit 1");

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(ExitCodes.PluginUnusable, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.Contains($"the installed plugin {_node.InstalledPlugin} does not run on this node: VERSION exited with 1: {LoaderError}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallCni_PluginForAnotherMachine_Exit6_CannotBeExecuted()
    {
        // Not a script and not an ELF for this machine: execve refuses it, as it refuses an arm64 binary on x86-64.
        var elf = new byte[64];
        ((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1]).CopyTo(elf);
        elf[16] = 2; // ET_EXEC, for machine 0: no kernel runs it
        File.WriteAllBytes(_node.PluginSource, elf);

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(ExitCodes.PluginUnusable, run.ExitCode);
        Assert.Contains($"the installed plugin {_node.InstalledPlugin} does not run on this node: it cannot be executed", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallCni_PluginAnswersSomethingElse_Exit6_ShowsTheAnswer()
    {
        WritePlugin("echo 'hello'");

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(ExitCodes.PluginUnusable, run.ExitCode);
        Assert.Contains("VERSION did not answer with supportedVersions: hello", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionAsync_PluginHangs_FailsAfterTheTimeout_AndStopsIt()
    {
        var pidFile = Path.Join(_node.Root, "pid");
        var plugin = Path.Join(_node.Root, "hanging-plugin");
        File.WriteAllBytes(plugin, FakeNode.PluginScript("hangs", $"echo $$ > {pidFile}; exec sleep 60"));
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var started = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<PluginUnusableException>(
            () => PluginProbe.VersionAsync(plugin, TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken));

        Assert.Contains("VERSION did not answer within 0.3 s", ex.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilGoneAsync(pid);
    }

    /// <summary>Polls until process <paramref name="pid"/> has exited (gone, or a zombie awaiting its reaper).</summary>
    private static async Task WaitUntilGoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (IsRunning(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"plugin {pid} still runs");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void WritePlugin(string body) => File.WriteAllBytes(_node.PluginSource, FakeNode.PluginScript("test plugin", body));
}
