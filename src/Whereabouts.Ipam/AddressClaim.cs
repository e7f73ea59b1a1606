using Whereabouts.Core.Net;

namespace Whereabouts.Ipam;

/// <summary>One ADD's claim in <see cref="AddressClaims"/> for one range: at most one address at a time, let go when the ADD settles.</summary>
internal sealed class AddressClaim(AddressClaims claims, string pool) : IDisposable
{
    private Ip? _held;

    /// <summary>
    /// The addresses this ADD must not aim at: those it saw reserved by other pods, and those other ADDs of this process
    /// are aiming at when <paramref name="mayAvoidClaims"/> agrees (asked only when there are such claims, so a plugin
    /// process, alone in its process, pays nothing). <see cref="ClaimedByOthers"/> tells how many are only claims.
    /// </summary>
    public IReadOnlyCollection<Ip> Avoid(HashSet<Ip> takenElsewhere, Func<bool> mayAvoidClaims)
    {
        ClaimedByOthers = 0;
        if (!claims.AnyOther(pool, _held) || !mayAvoidClaims())
        {
            return takenElsewhere;
        }

        var avoid = new HashSet<Ip>(takenElsewhere);
        ClaimedByOthers = claims.CopyOthers(pool, _held, avoid);
        return ClaimedByOthers == 0 ? takenElsewhere : avoid;
    }

    /// <summary>How many addresses the last <see cref="Avoid"/> kept away only because another ADD in flight claims them.</summary>
    public int ClaimedByOthers { get; private set; }

    /// <summary>Moves this ADD's claim to <paramref name="address"/>; false when another ADD claimed it since the choice.</summary>
    public bool TryTake(Ip address)
    {
        if (_held == address)
        {
            return true;
        }

        Dispose();
        if (!claims.TryClaim(pool, address))
        {
            return false;
        }

        _held = address;
        return true;
    }

    public void Dispose()
    {
        if (_held is { } held)
        {
            claims.Release(pool, held);
            _held = null;
        }
    }
}
