using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;
using Whereabouts.Storage.Kubernetes.Tests.Support;

namespace Whereabouts.Storage.Kubernetes.Tests.Unit;

public sealed class PoolObjectSizeTests
{
    [Theory]
    [InlineData("5", "c1", "ns/p", "net1")]
    [InlineData("65535", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "kube-system/coredns-7db6d8ff4d-x2k9q", "eth0")]
    [InlineData("18446744073709551616", "x", "a/b", "")]
    public void EntryBytes_MatchesTheCompactJsonOfTheEntryAndItsManagedFields(string key, string id, string podRef, string ifName)
    {
        var allocation = new PoolAllocation(id, podRef, ifName);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            // What the API server stores for one key: the entry in spec.allocations and one in managedFields.
            json.WriteStartObject();
            json.WriteStartObject(key);
            json.WriteString("id", id);
            json.WriteString("ifname", ifName);
            json.WriteString("podref", podRef);
            json.WriteEndObject();
            json.WriteStartObject("f:" + key);
            foreach (var field in new[] { ".", "f:id", "f:ifname", "f:podref" })
            {
                json.WriteStartObject(field);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        // The wrapper adds two braces and one separating comma: one byte more than the two trailing commas estimated.
        Assert.Equal(buffer.WrittenCount - 1, PoolObjectSize.EntryBytes(key, allocation));
    }

    [Fact]
    public void EnsureWithinLimit_PoolBelowLimit_DoesNotThrow()
    {
        var snapshot = Snapshot(PracticalMaximum - 1);

        PoolObjectSize.EnsureWithinLimit(snapshot, PoolChange.Upsert(PracticalMaximum, TypicalAllocations.At(PracticalMaximum)));
    }

    [Fact]
    public void EnsureWithinLimit_PoolOverLimit_ThrowsNamingPoolCountLimitAndRemedy()
    {
        var snapshot = Snapshot(PracticalMaximum);

        var ex = Assert.Throws<StoreLimitExceededException>(
            () => PoolObjectSize.EnsureWithinLimit(snapshot, PoolChange.Upsert(PracticalMaximum + 1, TypicalAllocations.At(PracticalMaximum + 1))));

        Assert.Contains(snapshot.Key.Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains((PracticalMaximum + 1).ToString(CultureInfo.InvariantCulture) + " allocations", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1,572,864 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("split range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureWithinLimit_OnlyRemovals_NeverThrows()
    {
        var snapshot = Snapshot(PracticalMaximum + 500);

        PoolObjectSize.EnsureWithinLimit(snapshot, PoolChange.Remove([1]));
    }

    [Fact]
    public void EnsureRequestWithinLimit_BodyOver3MiB_Throws()
    {
        var ex = Assert.Throws<StoreLimitExceededException>(
            () => PoolObjectSize.EnsureRequestWithinLimit("patch x", new string('a', (3 * 1024 * 1024) + 1)));

        Assert.Contains("patch x", ex.Message, StringComparison.Ordinal);
        PoolObjectSize.EnsureRequestWithinLimit("patch x", new string('a', 3 * 1024 * 1024));
    }

    /// <summary>The largest pool of typical allocations (see <see cref="TypicalAllocations"/>) the estimate accepts.</summary>
    private const int PracticalMaximum = TypicalAllocations.PracticalMaximum;

    [Fact]
    public void PracticalMaximum_IsWhereTheEstimateCrossesTheLimit()
    {
        var range = Cidr.Parse("10.0.0.0/16");
        Assert.True(PoolObjectSize.Estimate("10.0.0.0-16", "10.0.0.0/16", TypicalAllocations.Dictionary(PracticalMaximum), []) <= PoolObjectSize.ObjectLimitBytes);
        Assert.True(PoolObjectSize.Estimate("10.0.0.0-16", range.ToString(), TypicalAllocations.Dictionary(PracticalMaximum + 1), []) > PoolObjectSize.ObjectLimitBytes);
    }

    private static PoolSnapshot Snapshot(int count) =>
        new(PoolKey.For(Cidr.Parse("10.0.0.0/16"), null), Ip.Parse("10.0.0.0"), "1", TypicalAllocations.Dictionary(count));
}
