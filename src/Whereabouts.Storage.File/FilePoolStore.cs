using System.Globalization;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.File;

/// <summary>
/// Pools as files, one per pool, named like the IPPool (<c>&lt;dir&gt;/&lt;pool&gt;.json</c>). Reads take no lock
/// (files are only ever replaced whole); writes check the version under an exclusive cross-process lock.
/// </summary>
internal sealed class FilePoolStore(string directory) : IPoolStore
{
    public Task<PoolSnapshot?> GetAsync(PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(key));
    }

    public async Task<PoolSnapshot> GetOrCreateAsync(PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Read(key) is { } existing)
        {
            return existing;
        }

        var path = PathOf(key);
        using (await LockAsync(key, cancellationToken))
        {
            Guard(path, () =>
            {
                AtomicFile.RemoveLeftovers(path);
                AtomicFile.TryCreate(path, PoolFile.Write(key.Range.ToString(), 1, new Dictionary<UInt128, PoolAllocation>()));
            });
        }

        return Read(key) ?? throw new StoreDataException($"file datastore: pool file {path} vanished right after it was created");
    }

    public async Task<bool> TryUpdateAsync(PoolSnapshot snapshot, PoolChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(change);
        var path = PathOf(snapshot.Key);
        using (await LockAsync(snapshot.Key, cancellationToken))
        {
            var content = ReadContent(path);
            if (content is null || content.Version.ToString(CultureInfo.InvariantCulture) != snapshot.Version)
            {
                return false;
            }

            var next = change.ApplyTo(content.Allocations);
            Guard(path, () =>
            {
                AtomicFile.RemoveLeftovers(path);
                AtomicFile.Replace(path, PoolFile.Write(content.Range, content.Version + 1, next, content.Unreadable));
            });
            return true;
        }
    }

    /// <summary>
    /// True when some pool on this host holds an allocation that <paramref name="reservation"/> may be covering: one of
    /// its container interface, or one of its pod interface. A pod re-created under its name (a StatefulSet) keeps
    /// its address and its reservation, but the pool then records the new container, not the one in the reservation.
    /// </summary>
    public bool AnyPoolHolds(Reservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (!Directory.Exists(directory))
        {
            return false;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
        {
            var content = ReadContent(path);
            if (content is not null && content.Allocations.Values.Any(a =>
                    (a.ContainerId == reservation.ContainerId && a.IfName == reservation.IfName)
                    || (reservation.PodRef.Length > 0 && reservation.IsOwnedBy(a.PodRef, a.IfName))))
            {
                return true;
            }
        }

        return false;
    }

    private PoolSnapshot? Read(PoolKey key)
    {
        var path = PathOf(key);
        var content = ReadContent(path);
        if (content is null)
        {
            return null;
        }

        if (!Cidr.TryParse(content.Range, out var range))
        {
            throw new StoreDataException($"file datastore: pool file {path} has an invalid range '{content.Range}'");
        }

        return new PoolSnapshot(key, range.Address, content.Version.ToString(CultureInfo.InvariantCulture), content.Allocations)
        {
            UnreadableKeys = [.. content.Unreadable.Keys],
        };
    }

    private static PoolFileContent? ReadContent(string path)
    {
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
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

        return PoolFile.Read(bytes, path);
    }

    private async Task<FileLock> LockAsync(PoolKey key, CancellationToken cancellationToken)
    {
        var lockPath = Path.Combine(directory, key.Name + ".lock");
        try
        {
            FileIpamStore.EnsureDirectory(directory);
            return await FileLock.AcquireAsync(lockPath, cancellationToken);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreAccessDeniedException($"file datastore: cannot lock {lockPath}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw AtomicFile.Unavailable($"cannot lock {lockPath}", ex);
        }
    }

    private string PathOf(PoolKey key) => Path.Combine(directory, key.Name + ".json");

    private static void Guard(string path, Action write)
    {
        try
        {
            write();
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
