using Whereabouts.Controller.Reconcile;
using Whereabouts.Core.Naming;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Tests.Reconcile;

public sealed class ReservationNamesTests
{
    public static TheoryData<string, string, string?[]> Pools => new()
    {
        { "10.0.0.0-24", "10.0.0.0/24", [null] },
        // A prefix may be a network name, a node name, or both: every reading that writes the name again counts.
        { "net1-10.0.0.0-24", "10.0.0.0/24", [null, "net1"] },
        { "my-net-10.0.0.0-24", "10.0.0.0/24", [null, "my", "my-net"] },
        { "net1-node-a-10.0.0.0-24", "10.0.0.0/24", [null, "net1", "net1-node", "net1-node-a"] },
        { "2001-db8---64", "2001:db8::/64", [null] },
        { "blue-2001-db8---64", "2001:db8::/64", [null, "blue"] },
        { "0---64", "::/64", [null] },
        // A pool made by hand whose name is not the range's: no reservation can be matched to it by name.
        { "my-pool", "10.0.0.0/24", null! },
        { "10.0.0.0-24", "10.0.1.0/24", null! },
    };

    [Theory]
    [MemberData(nameof(Pools))]
    public void NetworkNameCandidates_PoolName_NamesThatWriteItAgain(string pool, string range, string?[]? expected)
    {
        var candidates = ReservationNames.NetworkNameCandidates(pool, Cidr.Parse(range));

        if (expected is null)
        {
            Assert.Null(candidates);
        }
        else
        {
            Assert.Equal(expected, candidates);
        }
    }

    [Theory]
    [InlineData("Net_1")]
    [InlineData("UPPER")]
    public void NetworkNameCandidates_HashedPoolName_Unmatched(string networkName)
    {
        var range = Cidr.Parse("10.0.0.0/24");

        Assert.Null(ReservationNames.NetworkNameCandidates(ObjectNames.IpPool(range, networkName), range));
    }

    [Theory]
    [InlineData("10.0.0.0/24", "net1", "10.0.0.5", "net1-10.0.0.5")]
    [InlineData("fd00::/32", null, "fd00:0:1::", "fd00-0-1--0")]
    [InlineData("fd00::/32", "blue", "fd00:0:1::", "blue-fd00-0-1--0")]
    [InlineData("::/64", null, "::5", "0--5")]
    public void For_PoolOfNetwork_IncludesThePluginsReservationName(string range, string? network, string address, string reservation)
    {
        var cidr = Cidr.Parse(range);
        var candidates = ReservationNames.NetworkNameCandidates(ObjectNames.IpPool(cidr, network), cidr)!;

        Assert.Contains(reservation, ReservationNames.For(Ip.Parse(address), candidates));
        Assert.Equal(ObjectNames.OverlappingReservation(Ip.Parse(address), network), reservation);
    }
}
