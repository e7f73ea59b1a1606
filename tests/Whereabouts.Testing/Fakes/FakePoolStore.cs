using System.Globalization;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Testing.Fakes;

/// <summary>
/// The pools of a <see cref="FakeIpamStore"/>. Every successful write moves the pool to a new version, and a write
/// against any other version than the current one is refused, as the real stores do.
/// </summary>
public sealed class FakePoolStore : IPoolStore
{
    private readonly FakeIpamStore _store;
    private readonly Dictionary<string, StoredPool> _pools = new(StringComparer.Ordinal);
    private long _lastVersion;
    private int _forcedConflicts;

    internal FakePoolStore(FakeIpamStore store) => _store = store;

    /// <summary>
    /// Runs inside every <see cref="TryUpdateAsync"/> after its fault check and before the version check: the moment
    /// between a caller's read and its write, where a concurrent writer (<see cref="Apply"/>, <see cref="Touch"/>) makes
    /// the write conflict.
    /// </summary>
    public Func<PoolSnapshot, PoolChange, Task>? BeforeUpdate { get; set; }

    /// <summary>The names of the pools that exist.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_store.Gate)
            {
                return [.. _pools.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    public Task<PoolSnapshot> GetOrCreateAsync(PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _store.RunAsync(
            FakeOperation.GetOrCreatePool,
            key.Name,
            () =>
            {
                if (!_pools.TryGetValue(key.Name, out var pool))
                {
                    pool = new StoredPool(key, key.Range.Network, NextVersion(), [], []);
                    _pools[key.Name] = pool;
                }

                return pool.Snapshot(key);
            },
            null,
            cancellationToken);
    }

    public Task<PoolSnapshot?> GetAsync(PoolKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _store.RunAsync(
            FakeOperation.GetPool, key.Name, () => _pools.TryGetValue(key.Name, out var pool) ? pool.Snapshot(key) : null, null, cancellationToken);
    }

    public Task<bool> TryUpdateAsync(PoolSnapshot snapshot, PoolChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(change);
        var hook = BeforeUpdate;
        return _store.RunAsync(
            FakeOperation.UpdatePool,
            snapshot.Key.Name,
            () =>
            {
                if (_forcedConflicts > 0)
                {
                    _forcedConflicts--;
                    return false;
                }

                if (!_pools.TryGetValue(snapshot.Key.Name, out var pool) || pool.VersionText != snapshot.Version)
                {
                    return false;
                }

                pool.Allocations = change.ApplyTo(pool.Allocations);
                pool.Version = NextVersion();
                return true;
            },
            hook is null ? null : () => hook(snapshot, change),
            cancellationToken);
    }

    /// <summary>Makes the next <paramref name="times"/> writes report a conflict without writing.</summary>
    public void ForceConflicts(int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        lock (_store.Gate)
        {
            _forcedConflicts += times;
        }
    }

    /// <summary>Creates or replaces a pool whose base is the network address, with allocations given by address.</summary>
    public void Seed(PoolKey key, IReadOnlyDictionary<Ip, PoolAllocation> allocations)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(allocations);
        var poolBase = key.Range.Network;
        SeedOffsets(key, allocations.ToDictionary(a => a.Key.OffsetFrom(poolBase), a => a.Value), poolBase);
    }

    /// <summary>Creates or replaces a pool exactly as stored: offsets from <paramref name="poolBase"/>, and keys that are not offsets.</summary>
    public void SeedOffsets(
        PoolKey key, IReadOnlyDictionary<UInt128, PoolAllocation> allocations, Ip poolBase, IReadOnlyList<string>? unreadableKeys = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(allocations);
        lock (_store.Gate)
        {
            _pools[key.Name] = new StoredPool(key, poolBase, NextVersion(), new Dictionary<UInt128, PoolAllocation>(allocations), [.. unreadableKeys ?? []]);
        }
    }

    /// <summary>Writes <paramref name="change"/> unconditionally, as a concurrent writer would; the pool must exist.</summary>
    public void Apply(PoolKey key, PoolChange change)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(change);
        lock (_store.Gate)
        {
            var pool = Existing(key.Name);
            pool.Allocations = change.ApplyTo(pool.Allocations);
            pool.Version = NextVersion();
        }
    }

    /// <summary>Moves the pool to a new version without changing it, so every write based on an earlier read conflicts.</summary>
    public void Touch(string poolName)
    {
        lock (_store.Gate)
        {
            Existing(poolName).Version = NextVersion();
        }
    }

    /// <summary>The pool as it is now, or null.</summary>
    public PoolSnapshot? Peek(string poolName)
    {
        lock (_store.Gate)
        {
            return _pools.TryGetValue(poolName, out var pool) ? pool.Snapshot(pool.Key) : null;
        }
    }

    /// <summary>Every allocation of every pool, by address, ordered by pool and address.</summary>
    public IReadOnlyList<FakePoolEntry> Entries()
    {
        lock (_store.Gate)
        {
            return [.. _pools.Values
                .OrderBy(static p => p.Key.Name, StringComparer.Ordinal)
                .SelectMany(static p => p.Allocations
                    .OrderBy(static a => a.Key)
                    .Select(a => new FakePoolEntry(p.Key.Name, p.AddressOf(a.Key), a.Value)))];
        }
    }

    private StoredPool Existing(string poolName) =>
        _pools.TryGetValue(poolName, out var pool) ? pool : throw new InvalidOperationException($"fake pool {poolName} does not exist");

    private long NextVersion() => ++_lastVersion;

    private sealed class StoredPool(PoolKey key, Ip poolBase, long version, Dictionary<UInt128, PoolAllocation> allocations, List<string> unreadable)
    {
        public PoolKey Key { get; } = key;

        public long Version { get; set; } = version;

        public string VersionText => Version.ToString(CultureInfo.InvariantCulture);

        public Dictionary<UInt128, PoolAllocation> Allocations { get; set; } = allocations;

        public Ip AddressOf(UInt128 offset) =>
            poolBase.TryAdd(offset, out var ip) ? ip : throw new InvalidOperationException($"offset {offset} leaves the address space of pool {Key.Name}");

        public PoolSnapshot Snapshot(PoolKey asked) =>
            new(asked, poolBase, VersionText, new Dictionary<UInt128, PoolAllocation>(Allocations)) { UnreadableKeys = [.. unreadable] };
    }
}
