using k8s.Models;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Tests.Unit;

public sealed class CrdConversionTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("5", "5")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("9223372036854775808", "9223372036854775808")]
    [InlineData("18446744073709551616", "18446744073709551616")]
    [InlineData("340282366920938463463374607431768211455", "340282366920938463463374607431768211455")]
    public void TryParseOffset_CanonicalDecimal_KeepsAll128Bits(string key, string expected)
    {
        Assert.True(CrdConversion.TryParseOffset(key, out var offset));
        Assert.Equal(UInt128.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), offset);
        Assert.Equal(key, CrdConversion.FormatOffset(offset));
    }

    [Theory]
    [InlineData("")]
    [InlineData("05")]
    [InlineData("00")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("leader_lease")]
    [InlineData("340282366920938463463374607431768211456")]
    public void TryParseOffset_NotCanonicalDecimal_IsUnreadable(string key)
    {
        Assert.False(CrdConversion.TryParseOffset(key, out _));
    }

    [Fact]
    public void ToSnapshot_UpstreamV094Pool_ReadsAllocationsWithoutIfName()
    {
        var pool = Pool("10.0.0.0/24", "17", new()
        {
            ["1"] = new IPAllocation { Id = "c1", PodRef = "ns/p1" },
            ["2"] = new IPAllocation { Id = "c2", PodRef = "ns/p2", IfName = "net1" },
        });

        var snapshot = CrdConversion.ToSnapshot(pool);

        Assert.Equal("17", snapshot.Version);
        Assert.Equal(new PoolKey("pool", Cidr.Parse("10.0.0.0/24")), snapshot.Key);
        Assert.Equal(Ip.Parse("10.0.0.0"), snapshot.Base);
        Assert.Equal(new PoolAllocation("c1", "ns/p1", string.Empty), snapshot.Allocations[1]);
        Assert.Equal(new PoolAllocation("c2", "ns/p2", "net1"), snapshot.Allocations[2]);
        Assert.Empty(snapshot.UnreadableKeys);
    }

    [Fact]
    public void ToSnapshot_HandMadeRangeWithHostBits_BaseIsNotMasked()
    {
        var snapshot = CrdConversion.ToSnapshot(Pool("10.10.10.0/16", "1", []));

        Assert.Equal(Ip.Parse("10.10.10.0"), snapshot.Base);
        Assert.Equal(Cidr.Parse("10.10.0.0/16"), snapshot.Key.Range);
    }

    [Fact]
    public void ToSnapshot_UnreadableKeys_AreListedAndNotAllocations()
    {
        var pool = Pool("10.0.0.0/24", "1", new()
        {
            ["3"] = new IPAllocation { Id = "c3", PodRef = "ns/p3" },
            ["03"] = new IPAllocation { Id = "cx", PodRef = "ns/px" },
            ["junk"] = new IPAllocation { Id = "cy", PodRef = "ns/py" },
        });

        var snapshot = CrdConversion.ToSnapshot(pool);

        Assert.Equal([(UInt128)3], snapshot.Allocations.Keys);
        Assert.Equal(["03", "junk"], snapshot.UnreadableKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ToSnapshot_NoAllocationsMap_IsEmpty()
    {
        var pool = Pool("fd00::/64", "9", null);

        var snapshot = CrdConversion.ToSnapshot(pool, new PoolKey("given", Cidr.Parse("fd00::/64")));

        Assert.Empty(snapshot.Allocations);
        Assert.Equal("given", snapshot.Key.Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10.0.0.0")]
    [InlineData("banana/24")]
    public void ToSnapshot_InvalidRange_ThrowsStoreDataNamingThePool(string? range)
    {
        var ex = Assert.Throws<StoreDataException>(() => CrdConversion.ToSnapshot(Pool(range, "1", [])));

        Assert.Contains("kube-system/pool", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToReservation_UpstreamV05Reservation_HasEmptyIfName()
    {
        var created = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var orip = new OverlappingRangeIPReservation
        {
            Metadata = new V1ObjectMeta { Name = "10.0.0.5", ResourceVersion = "8", Uid = "u-1", CreationTimestamp = created },
            Spec = new OverlappingRangeIPReservationSpec { ContainerId = "c5", PodRef = "ns/p5" },
        };

        var reservation = CrdConversion.ToReservation(orip);

        Assert.Equal(new Reservation("10.0.0.5", "ns/p5", string.Empty, "c5", "8", new DateTimeOffset(created), "u-1"), reservation);
        Assert.True(reservation.IsOwnedBy("ns/p5", "net7"));
    }

    [Fact]
    public void ToReservation_UpstreamV094Reservation_HasNoContainerId()
    {
        var orip = new OverlappingRangeIPReservation
        {
            Metadata = new V1ObjectMeta { Name = "n-10.0.0.5", ResourceVersion = "8", Uid = "u-1" },
            Spec = new OverlappingRangeIPReservationSpec { PodRef = "ns/p5", IfName = "net1" },
        };

        var reservation = CrdConversion.ToReservation(orip);

        Assert.Null(reservation.ContainerId);
        Assert.Equal("net1", reservation.IfName);
        Assert.False(reservation.IsOwnedBy("ns/p5", "net2"));
    }

    [Fact]
    public void ToReservation_NoSpec_ThrowsStoreData()
    {
        var orip = new OverlappingRangeIPReservation { Metadata = new V1ObjectMeta { Name = "x", ResourceVersion = "1" } };

        Assert.Throws<StoreDataException>(() => CrdConversion.ToReservation(orip));
    }

    [Fact]
    public void NewPool_WritesMaskedRangeAndEmptyAllocations()
    {
        var pool = CrdConversion.NewPool(PoolKey.For(Cidr.Parse("10.1.2.3/24"), "blue"));

        Assert.Equal("blue-10.1.2.0-24", pool.Metadata.Name);
        Assert.Equal("10.1.2.0/24", pool.Spec!.Range);
        Assert.NotNull(pool.Spec.Allocations);
        Assert.Empty(pool.Spec.Allocations);
        Assert.Equal("whereabouts.cni.cncf.io/v1alpha1", pool.ApiVersion);
        Assert.Equal("IPPool", pool.Kind);
    }

    private static IPPool Pool(string? range, string version, Dictionary<string, IPAllocation>? allocations) => new()
    {
        Metadata = new V1ObjectMeta { Name = "pool", NamespaceProperty = "kube-system", ResourceVersion = version },
        Spec = new IPPoolSpec { Range = range, Allocations = allocations },
    };
}
