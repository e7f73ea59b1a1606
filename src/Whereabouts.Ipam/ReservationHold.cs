using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Ipam;

/// <summary>
/// The cluster-wide reservation one ADD holds in one range while it writes the pool. It remembers whether the ADD made
/// it (and so must withdraw it if the ADD moves on or fails) and every create whose answer was lost, since such a
/// create may have happened: what the ADD does not end up holding is withdrawn when it settles.
/// </summary>
internal sealed class ReservationHold(IReservationStore store, ReservationRemover remover, AllocationOwner owner)
{
    private readonly HashSet<string> _uncertain = new(StringComparer.Ordinal);
    private Reservation? _held;
    private bool _ours;

    /// <summary>The address whose reservation is held, if any.</summary>
    public Ip? Address { get; private set; }

    public bool Holds(string name) => _held?.Name == name;

    /// <summary>
    /// Claims <paramref name="name"/> for <paramref name="address"/>, first letting go of a reservation this ADD made
    /// for another address. The claim is held when it was created or already belongs to this pod interface.
    /// </summary>
    public async Task<ReservationClaim> ClaimAsync(string name, Ip address, CancellationToken cancellationToken)
    {
        if (_held is not null && _ours && !await remover.DeleteOwnAsync(_held, cancellationToken))
        {
            // Not gone yet (the store failed, or the deadline came): withdrawn once more when the ADD settles.
            _uncertain.Add(_held.Name);
        }

        _held = null;
        Address = null;
        ReservationClaim claim;
        try
        {
            claim = await store.TryCreateAsync(name, owner, cancellationToken);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
        {
            // The create may have reached the store even though its answer did not reach us.
            _uncertain.Add(name);
            throw;
        }

        if (claim.Created || claim.Reservation.IsOwnedBy(owner.PodRef, owner.IfName))
        {
            _held = claim.Reservation;
            Address = address;

            // "Exists, yours" may be this very call's earlier create whose answer was lost, or one of this container's
            // failed attempts: this call owns it then, and withdraws it if it moves on.
            _ours = claim.Created || claim.Reservation.ContainerId == owner.ContainerId;
        }

        return claim;
    }

    /// <summary>The pool now refers to the held reservation (or already did): it stays when the ADD settles.</summary>
    public void Keep() => _ours = false;

    /// <summary>Withdraws what this ADD made and does not keep: the held reservation unless kept, and lost creates.</summary>
    public async Task SettleAsync()
    {
        if (_held is not null && _ours)
        {
            await remover.DeleteOwnAsync(_held, CancellationToken.None);
        }

        _uncertain.Remove(_held?.Name ?? string.Empty);
        foreach (var name in _uncertain)
        {
            await remover.TryDeleteIfOursAsync(
                name,
                r => r.IsOwnedBy(owner.PodRef, owner.IfName) && r.ContainerId == owner.ContainerId,
                CancellationToken.None);
        }
    }
}
