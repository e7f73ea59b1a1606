using System.Globalization;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Testing.Fakes;

/// <summary>
/// The reservations of a <see cref="FakeIpamStore"/>. A name is created once (a second creator gets the holder back),
/// and a delete succeeds only against the incarnation that was read: same version and, when given, same uid.
/// </summary>
public sealed class FakeReservationStore : IReservationStore
{
    private readonly FakeIpamStore _store;
    private readonly Dictionary<string, Reservation> _items = new(StringComparer.Ordinal);
    private long _lastVersion;

    internal FakeReservationStore(FakeIpamStore store) => _store = store;

    /// <summary>Runs inside every <see cref="TryCreateAsync"/> after its fault check and before the name is claimed, so a rival (<see cref="Seed"/>) can win the race.</summary>
    public Func<string, AllocationOwner, Task>? BeforeCreate { get; set; }

    public Task<Reservation?> GetAsync(string name, CancellationToken cancellationToken) =>
        _store.RunAsync(FakeOperation.GetReservation, name, () => _items.GetValueOrDefault(name), null, cancellationToken);

    public Task<ReservationClaim> TryCreateAsync(string name, AllocationOwner owner, CancellationToken cancellationToken)
    {
        var hook = BeforeCreate;
        return _store.RunAsync(
            FakeOperation.CreateReservation,
            name,
            () =>
            {
                if (_items.TryGetValue(name, out var existing))
                {
                    return new ReservationClaim(existing, Created: false);
                }

                var created = New(name, owner.PodRef, owner.IfName, owner.ContainerId, null);
                _items[name] = created;
                return new ReservationClaim(created, Created: true);
            },
            hook is null ? null : () => hook(name, owner),
            cancellationToken);
    }

    public Task<bool> DeleteAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return _store.RunAsync(
            FakeOperation.DeleteReservation,
            reservation.Name,
            () =>
            {
                if (!_items.TryGetValue(reservation.Name, out var current)
                    || current.Version != reservation.Version
                    || (reservation.Uid is not null && current.Uid != reservation.Uid))
                {
                    return false;
                }

                _items.Remove(reservation.Name);
                return true;
            },
            null,
            cancellationToken);
    }

    public Task<IReadOnlyList<Reservation>> FindByContainerAsync(string containerId, CancellationToken cancellationToken) =>
        _store.RunAsync<IReadOnlyList<Reservation>>(
            FakeOperation.FindReservations,
            containerId,
            () => [.. _items.Values.Where(r => r.ContainerId == containerId).OrderBy(static r => r.Name, StringComparer.Ordinal)],
            null,
            cancellationToken);

    /// <summary>Creates or replaces a reservation as another writer would; returns it as stored.</summary>
    public Reservation Seed(string name, string podRef, string ifName, string? containerId = null, DateTimeOffset? createdAt = null)
    {
        lock (_store.Gate)
        {
            var reservation = New(name, podRef, ifName, containerId, createdAt);
            _items[name] = reservation;
            return reservation;
        }
    }

    /// <summary>Deletes a reservation unconditionally; false when it did not exist.</summary>
    public bool Remove(string name)
    {
        lock (_store.Gate)
        {
            return _items.Remove(name);
        }
    }

    /// <summary>The reservation as it is now, or null.</summary>
    public Reservation? Peek(string name)
    {
        lock (_store.Gate)
        {
            return _items.GetValueOrDefault(name);
        }
    }

    /// <summary>Every reservation, ordered by name.</summary>
    public IReadOnlyList<Reservation> All()
    {
        lock (_store.Gate)
        {
            return [.. _items.Values.OrderBy(static r => r.Name, StringComparer.Ordinal)];
        }
    }

    private Reservation New(string name, string podRef, string ifName, string? containerId, DateTimeOffset? createdAt) =>
        new(
            name,
            podRef,
            ifName,
            containerId,
            (++_lastVersion).ToString(CultureInfo.InvariantCulture),
            createdAt ?? _store.Time.GetUtcNow(),
            Guid.NewGuid().ToString("N"));
}
