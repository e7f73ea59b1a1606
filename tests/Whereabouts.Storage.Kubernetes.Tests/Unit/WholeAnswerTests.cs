using System.Text;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Storage.Kubernetes.Tests.Unit;

/// <summary>An answer read whole before it is parsed: every byte arrives, whatever length the server announced.</summary>
public sealed class WholeAnswerTests
{
    [Theory]
    [InlineData(0, null)]
    [InlineData(10, 10L)]
    [InlineData(200_000, null)]
    [InlineData(200_000, 200_000L)]
    [InlineData(200_000, 1_000L)]
    [InlineData(3_000_000, null)]
    public async Task ReadWholeAsync_EveryByte_WhateverTheAnnouncedLength(int size, long? announced)
    {
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, size).Select(static i => (char)('a' + (i % 26)))));

        // A stream that hands out at most 1,000 bytes per read, as a network does.
        await using var stream = new BufferedStream(new MemoryStream(body), 1_000);
        var read = await KubernetesConnection.ReadWholeAsync(stream, announced, static bytes => bytes.ToArray(), TestContext.Current.CancellationToken);

        Assert.Equal(body, read);
    }
}
