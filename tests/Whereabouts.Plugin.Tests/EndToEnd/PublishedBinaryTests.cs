using System.Buffers.Binary;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.EndToEnd;

/// <summary>
/// How the plugin is linked. Half of its start-up time depends on it, and an incremental publish keeps the old link
/// when only these settings change, so the published file itself is checked.
/// </summary>
public sealed class PublishedBinaryTests
{
    private const ushort PositionDependentExecutable = 2; // ET_EXEC; a PIE is ET_DYN (3)

    [Fact]
    public void Plugin_IsAPositionDependentExecutable_SoItsDataNeedsNoRelocationAtStart()
    {
        var elf = File.ReadAllBytes(Repo.Plugin);

        Assert.True(elf.AsSpan(0, 4).SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']), "not an ELF file");
        Assert.Equal(PositionDependentExecutable, BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(16)));
    }
}
