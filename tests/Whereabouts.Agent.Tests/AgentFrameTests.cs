using CsCheck;
using Whereabouts.Agent.Protocol;

namespace Whereabouts.Agent.Tests;

public sealed class AgentFrameTests
{
    [Fact]
    public void WriteThenRead_AnyValidFrame_RoundTrips()
    {
        Gen.Select(Gen.UShort, Gen.Byte[1, 5], Gen.Int[0, AgentFrame.MaxBodySize]).Sample((version, kind, length) =>
        {
            var frame = new AgentFrame(version, (AgentFrameKind)kind, length);
            var header = new byte[AgentFrame.HeaderSize];
            frame.Write(header);

            Assert.True(AgentFrame.TryReadVersion(header, out var read));
            Assert.Equal(version, read);
            Assert.Equal(frame, AgentFrame.Read(header, version));
        });
    }

    [Fact]
    public void Read_AnyOtherVersion_NotInterpreted()
    {
        Gen.Select(Gen.UShort, Gen.UShort).Where(static (a, b) => a != b).Sample((written, accepted) =>
        {
            var header = new byte[AgentFrame.HeaderSize];
            new AgentFrame(written, AgentFrameKind.Request, 10).Write(header);

            Assert.Null(AgentFrame.Read(header, accepted));
        });
    }

    [Theory]
    [InlineData(new byte[] { (byte)'X', (byte)'A', 0, 1, 1, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'W', (byte)'B', 0, 1, 1, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'W', (byte)'A', 0, 1 })]
    [InlineData(new byte[0])]
    public void TryReadVersion_NotOurMagicOrShort_False(byte[] header)
    {
        Assert.False(AgentFrame.TryReadVersion(header, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(255)]
    public void Read_UnknownKind_Null(byte kind)
    {
        byte[] header = [(byte)'W', (byte)'A', 0, 1, kind, 0, 0, 0, 0];

        Assert.Null(AgentFrame.Read(header, 1));
    }

    [Theory]
    [InlineData(AgentFrame.MaxBodySize + 1L)]
    [InlineData(uint.MaxValue)]
    public void Read_BodyOverLimit_Null(long length)
    {
        byte[] header = [(byte)'W', (byte)'A', 0, 1, 1, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length];

        Assert.Null(AgentFrame.Read(header, 1));
    }

    [Fact]
    public void Header_Layout_IsTheDocumentedWireFormat()
    {
        var header = new byte[AgentFrame.HeaderSize];
        new AgentFrame(0x0102, AgentFrameKind.Answer, 0x03040506).Write(header);

        Assert.Equal(new byte[] { (byte)'W', (byte)'A', 1, 2, 3, 3, 4, 5, 6 }, header);
    }
}
