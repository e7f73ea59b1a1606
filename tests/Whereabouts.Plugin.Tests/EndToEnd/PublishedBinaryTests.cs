using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.EndToEnd;

/// <summary>
/// How the plugin is linked. install-cni copies it onto nodes, where it runs with the node's own libraries, so it
/// may need no newer glibc than the baseline (2.17) and must not need OpenSSL to start. Half of its start-up time
/// depends on the link too. An incremental publish keeps the old link when only these settings change, so the
/// published files themselves are checked: the build machine's plugin, and the arm64 one that ./test.sh cross-builds.
/// </summary>
public sealed partial class PublishedBinaryTests
{
    private const ushort PositionDependentExecutable = 2; // ET_EXEC; a PIE is ET_DYN (3)
    private const ushort MachineAarch64 = 183; // EM_AARCH64
    private static readonly Version GlibcBaseline = new(2, 17);

    public static TheoryData<string> Binaries => new() { "host", "linux-arm64" };

    [Theory]
    [MemberData(nameof(Binaries))]
    public void Plugin_IsAPositionDependentExecutable_SoItsDataNeedsNoRelocationAtStart(string build)
    {
        var elf = ReadElf(PathOf(build));

        Assert.Equal(PositionDependentExecutable, BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(16)));
    }

    [Fact]
    public void Arm64Plugin_IsAnAarch64Executable()
    {
        var elf = ReadElf(PathOf("linux-arm64"));

        Assert.Equal(2, elf[4]); // ELFCLASS64
        Assert.Equal(MachineAarch64, BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(18)));
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Plugin_NeedsNoGlibcNewerThan217(string build)
    {
        var symbols = await Run.CheckedAsync("objdump", "-T", PathOf(build));

        var versions = GlibcVersion().Matches(symbols).Select(static m => Version.Parse(m.Groups[1].Value)).Distinct().ToList();

        Assert.NotEmpty(versions); // a parse that finds nothing must not pass
        var newest = versions.Max()!;
        Assert.True(newest <= GlibcBaseline, $"{PathOf(build)} needs GLIBC_{newest}; the baseline is GLIBC_{GlibcBaseline}");
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Plugin_DoesNotNeedOpenSslToStart(string build)
    {
        var headers = await Run.CheckedAsync("objdump", "-p", PathOf(build));

        var needed = NeededLibrary().Matches(headers).Select(static m => m.Groups[1].Value).ToList();

        Assert.Contains(needed, static n => n.StartsWith("libc.so", StringComparison.Ordinal));
        Assert.DoesNotContain(needed, static n => n.StartsWith("libssl", StringComparison.Ordinal) || n.StartsWith("libcrypto", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plugin_AboutText_NamesTheArchitectureItRunsAs()
    {
        var about = await Run.ProcessAsync(Repo.Plugin, [], new Dictionary<string, string>(), stdin: string.Empty,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(about.ExitCode == 0, about.ToString());
        Assert.Contains(PluginHost.About("", RuntimeInformation.ProcessArchitecture)["whereabouts ".Length..], about.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Plugin_ExportsNoNativeRuntimeSymbols_ThatEveryStartWouldScan(string build)
    {
        var symbols = await Run.CheckedAsync("objdump", "-T", PathOf(build));

        var defined = DynamicSymbol().Matches(symbols).Where(static m => m.Groups["section"].Value != "*UND*").Select(static m => m.Groups["name"].Value).ToList();

        Assert.True(defined.Count <= 4, $"{defined.Count} exported symbols, e.g. {string.Join(", ", defined.Take(5))}");
        Assert.DoesNotContain(defined, static n => n.StartsWith("SystemNative_", StringComparison.Ordinal) || n.StartsWith("CryptoNative_", StringComparison.Ordinal));
    }

    private static string PathOf(string build) => build == "host" ? Repo.Plugin : Repo.PluginFor(build);

    private static byte[] ReadElf(string path)
    {
        var elf = File.ReadAllBytes(path);
        Assert.True(elf.AsSpan(0, 4).SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']), $"{path} is not an ELF file");
        return elf;
    }

    [GeneratedRegex(@"\bGLIBC_(\d+\.\d+(?:\.\d+)?)\b")]
    private static partial Regex GlibcVersion();

    [GeneratedRegex(@"^[0-9a-f]{16}\s.{7}\s(?<section>\S+)\s+[0-9a-f]+\s+(?:\S+\s+)?(?<name>\S+)$", RegexOptions.Multiline)]
    private static partial Regex DynamicSymbol();

    [GeneratedRegex(@"^\s*NEEDED\s+(\S+)$", RegexOptions.Multiline)]
    private static partial Regex NeededLibrary();
}
