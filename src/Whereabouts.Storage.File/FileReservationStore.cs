using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.File;

/// <summary>
/// Reservations as files named like the OverlappingRangeIPReservation. Creation links a complete file into place,
/// which fails when the name exists, so two claimants can never both win; deletes check the unique id under a lock.
/// </summary>
/// <remarks>
/// An ADD killed between creating its reservation and writing the pool leaves the reservation behind. On one host
/// that is provable: its creator process is gone and no pool holds an allocation of its container or of its pod
/// interface. Such a leftover is removed when the next claimant meets it; a reservation of a running ADD, or of an
/// allocation that made it into a pool, is never touched.
/// </remarks>
internal sealed class FileReservationStore(string directory, TimeProvider time, Func<Reservation, bool> anyPoolHolds) : IReservationStore
{
    public Task<Reservation?> GetAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(name)?.Reservation);
    }

    public async Task<ReservationClaim> TryCreateAsync(string name, AllocationOwner owner, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var uid = Guid.NewGuid().ToString("N");
            var created = time.GetUtcNow();
            var content = ReservationFile.Write(owner.PodRef, owner.IfName, owner.ContainerId, uid, created, ProcessIdentity.Current);
            var wasCreated = Guard(path, () =>
            {
                FileIpamStore.EnsureDirectory(directory);
                AtomicFile.RemoveDeadLeftovers(path);
                return AtomicFile.TryCreate(path, content);
            });
            if (wasCreated)
            {
                return new ReservationClaim(new Reservation(name, owner.PodRef, owner.IfName, owner.ContainerId, uid, created), Created: true);
            }

            // Someone holds the name; if it was deleted in between, try again.
            if (Read(name) is not { } existing)
            {
                continue;
            }

            if (existing.Reservation.IsOwnedBy(owner.PodRef, owner.IfName) || !IsLeftover(existing))
            {
                return new ReservationClaim(existing.Reservation, Created: false);
            }

            await DeleteAsync(existing.Reservation, cancellationToken);
        }
    }

    public async Task<bool> DeleteAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var path = PathOf(reservation.Name);
        FileIpamStore.EnsureDirectory(directory);
        using (await FileLock.AcquireAsync(Path.Combine(directory, ".lock"), cancellationToken))
        {
            var current = Read(reservation.Name)?.Reservation;
            if (current is null || current.Version != reservation.Version)
            {
                return false;
            }

            // Not made durable with a directory fsync, for the reason given on AtomicFile.
            Guard(path, () =>
            {
                System.IO.File.Delete(path);
                return true;
            });
            return true;
        }
    }

    /// <summary>Reads every reservation file of the directory: one host's reservations are few, and no index is kept.</summary>
    public Task<IReadOnlyList<Reservation>> FindByContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(directory))
        {
            return Task.FromResult<IReadOnlyList<Reservation>>([]);
        }

        string[] paths;
        try
        {
            paths = Directory.GetFiles(directory, "*.json");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreAccessDeniedException($"file datastore: cannot list {directory}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw AtomicFile.Unavailable($"cannot list {directory}", ex);
        }

        var found = paths
            .Select(static p => Path.GetFileNameWithoutExtension(p))
            .Order(StringComparer.Ordinal)
            .Select(Read)
            .Where(r => r is { } e && e.Reservation.ContainerId == containerId)
            .Select(static r => r!.Value.Reservation)
            .ToList();
        return Task.FromResult<IReadOnlyList<Reservation>>(found);
    }

    private bool IsLeftover((Reservation Reservation, ProcessIdentity Creator) existing) =>
        existing.Creator.Pid > 0
        && !existing.Creator.IsAlive
        && existing.Reservation.ContainerId is not null
        && !anyPoolHolds(existing.Reservation);

    private (Reservation Reservation, ProcessIdentity Creator)? Read(string name)
    {
        var path = PathOf(name);
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreAccessDeniedException($"file datastore: cannot read {path}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw AtomicFile.Unavailable($"cannot read {path}", ex);
        }

        return ReservationFile.Read(name, bytes, path);
    }

    private string PathOf(string name) => Path.Combine(directory, name + ".json");

    private static bool Guard(string path, Func<bool> write)
    {
        try
        {
            return write();
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreAccessDeniedException($"file datastore: cannot write {path}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw AtomicFile.Unavailable($"cannot write {path}", ex);
        }
    }
}
