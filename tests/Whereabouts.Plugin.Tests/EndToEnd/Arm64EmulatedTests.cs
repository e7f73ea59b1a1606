using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.EndToEnd;

/// <summary>
/// The cross-built arm64 plugin run under QEMU's user-mode emulation with Debian's arm64 glibc: it starts, names its
/// architecture, and serves ADD and DEL on the file datastore. CI installs qemu-user and libc6-arm64-cross.
/// </summary>
public sealed class Arm64EmulatedTests
{
    private const string Emulator = "/usr/bin/qemu-aarch64";
    private const string Arm64Libraries = "/usr/aarch64-linux-gnu";

    [Fact]
    public async Task Arm64Plugin_AboutText_NamesArm64()
    {
        var about = await RunAsync(new Dictionary<string, string>(), string.Empty);

        Assert.True(about.ExitCode == 0, about.ToString());
        Assert.Contains(" linux/arm64", about.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arm64Plugin_AddThenDel_OnTheFileDatastore()
    {
        using var dir = new TempDir();
        var config = NetConf.Direct(dir.Path);

        var add = await RunAsync(new CniCall("ADD", "arm64-c1").Environment(), config);

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal(["192.168.20.2/24"], CniCall.Addresses(add.Stdout));
        Assert.Equal("arm64-c1", Assert.Single(FileState.Allocations(dir.Path)).ContainerId);

        var del = await RunAsync(new CniCall("DEL", "arm64-c1").Environment(), config);

        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Empty(FileState.Allocations(dir.Path));
        Assert.Empty(FileState.Reservations(dir.Path));
    }

    private static Task<ProcessResult> RunAsync(Dictionary<string, string> env, string stdin)
    {
        if (!File.Exists(Emulator) || !Directory.Exists(Arm64Libraries))
        {
            Assert.Fail($"{Emulator} or {Arm64Libraries} is missing: apt-get install qemu-user libc6-arm64-cross");
        }

        return Run.ProcessAsync(Emulator, ["-L", Arm64Libraries, Repo.PluginFor("linux-arm64")], env, stdin,
            cancellationToken: TestContext.Current.CancellationToken);
    }
}
