using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam;

/// <summary>
/// What one ADD has learned about its rivals in one range: addresses it saw reserved by other pods, and how many races
/// it lost. Every ADD first aims at the lowest free address; where collisions are expensive (a remote datastore), one
/// that has lost enough races aims at a random address among the lowest few, so losers spread out rather than collide
/// again and again (<see cref="IpamOptions.SpreadAfterCollisions"/>).
/// </summary>
internal sealed class ContentionRecord
{
    private Ip? _lastChoice;

    public HashSet<Ip> TakenElsewhere { get; } = [];

    public int Collisions { get; private set; }

    /// <summary>Counts a lost race when the address chosen last time went to another owner in <paramref name="snapshot"/>.</summary>
    public void Observe(PoolSnapshot snapshot, AllocationOwner owner)
    {
        if (_lastChoice is { } previous && IpamService.HeldByOther(snapshot, previous, owner))
        {
            Collisions++;
        }
    }

    public void Chose(Ip? address) => _lastChoice = address;

    /// <summary>Another pod's reservation holds <paramref name="address"/>: skip it from now on.</summary>
    public void LostReservation(Ip address)
    {
        TakenElsewhere.Add(address);
        Collisions++;
    }
}
