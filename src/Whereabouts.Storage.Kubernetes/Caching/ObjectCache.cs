namespace Whereabouts.Storage.Kubernetes.Caching;

/// <summary>
/// The objects of one resource in the store's namespace, by name, as the newest answer or watch event showed them.
/// Readers get immutable values; every change replaces a value, never edits one. An object this process deleted is
/// remembered by uid for a while, so that a late watch event cannot bring it back.
/// </summary>
/// <typeparam name="T">The cached form of an object.</typeparam>
internal sealed class ObjectCache<T>
    where T : class
{
    private static readonly TimeSpan TombstoneLifetime = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, T> _objects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deletedUids = new(StringComparer.Ordinal);
    private readonly Queue<(string Uid, long At)> _tombstones = new();
    private readonly Func<T, string> _versionOf;
    private readonly Func<T, string?> _uidOf;
    private readonly TimeProvider _time;
    private TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _isSynced;
    private string? _highestVersion;

    public ObjectCache(Func<T, string> versionOf, Func<T, string?> uidOf, TimeProvider time)
    {
        _versionOf = versionOf;
        _uidOf = uidOf;
        _time = time;
    }

    /// <summary>True while the cache was listed and its watch is connected: then a name it does not hold does not exist.</summary>
    public bool IsSynced => _isSynced;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _objects.Count;
            }
        }
    }

    /// <summary>The latest resourceVersion the cache has held, to notice a server whose history went back (restored from a backup).</summary>
    public string? HighestVersion
    {
        get
        {
            lock (_gate)
            {
                return _highestVersion;
            }
        }
    }

    /// <summary>Adds up <paramref name="measure"/> over every cached object.</summary>
    public long Sum(Func<T, long> measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        lock (_gate)
        {
            return _objects.Values.Sum(measure);
        }
    }

    /// <summary>Every cached object that <paramref name="predicate"/> accepts.</summary>
    public IReadOnlyList<T> Where(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        lock (_gate)
        {
            return [.. _objects.Values.Where(predicate)];
        }
    }

    public T? Get(string name)
    {
        lock (_gate)
        {
            return _objects.GetValueOrDefault(name);
        }
    }

    /// <summary>Completes once the cache is synced (at once if it is).</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _synced.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Keeps <paramref name="value"/> unless the cache holds a later version or this process deleted it; returns what the cache holds.</summary>
    public T? Apply(string name, T value)
    {
        lock (_gate)
        {
            if (_uidOf(value) is { } uid && _deletedUids.Contains(uid))
            {
                return _objects.GetValueOrDefault(name);
            }

            if (_objects.TryGetValue(name, out var known) && !ResourceVersions.IsNewer(_versionOf(value), _versionOf(known)))
            {
                return known;
            }

            _objects[name] = value;
            Saw(_versionOf(value));
            return value;
        }
    }

    /// <summary>
    /// Drops the object a DELETED event (or a read that found it gone) reports, unless the cache holds a later incarnation.
    /// <paramref name="version"/> null: drop whatever is cached.
    /// </summary>
    public void Remove(string name, string? uid, string? version)
    {
        lock (_gate)
        {
            if (_objects.TryGetValue(name, out var known)
                && (version is null || (uid is not null && _uidOf(known) == uid) || !ResourceVersions.IsNewer(_versionOf(known), version)))
            {
                _objects.Remove(name);
            }
        }
    }

    /// <summary>This process deleted <paramref name="value"/>: it goes, and events about its uid are ignored from now on.</summary>
    public void Deleted(string name, T value)
    {
        lock (_gate)
        {
            var uid = _uidOf(value);
            if (_objects.TryGetValue(name, out var known) && (uid is null || _uidOf(known) == uid))
            {
                _objects.Remove(name);
            }

            PruneTombstones();
            if (uid is not null && _deletedUids.Add(uid))
            {
                _tombstones.Enqueue((uid, _time.GetTimestamp()));
            }
        }
    }

    /// <summary>
    /// Takes a fresh list: listed objects replace older cached ones; cached objects the list does not have go, unless
    /// they are later than the list (a write answered after the list was taken). When the list is older than what the
    /// cache held before it was asked for (<paramref name="highestBefore"/>), the server's history went back and the
    /// list replaces everything.
    /// </summary>
    public void Replace(IEnumerable<(string Name, T Value)> listed, string listVersion, string? highestBefore)
    {
        lock (_gate)
        {
            if (highestBefore is not null && ResourceVersions.IsNewer(highestBefore, listVersion) && ResourceVersions.CanOrder(highestBefore, listVersion))
            {
                _objects.Clear();
                _highestVersion = null;
            }

            Saw(listVersion);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, value) in listed)
            {
                names.Add(name);
                if (_uidOf(value) is { } uid && _deletedUids.Contains(uid))
                {
                    continue;
                }

                // At the same version the list wins: a server restored from a backup may reuse versions for other contents.
                if (!_objects.TryGetValue(name, out var known) || !ResourceVersions.IsNewer(_versionOf(known), _versionOf(value)))
                {
                    _objects[name] = value;
                    Saw(_versionOf(value));
                }
            }

            foreach (var (name, known) in _objects.ToList())
            {
                if (!names.Contains(name) && !ResourceVersions.IsNewer(_versionOf(known), listVersion))
                {
                    _objects.Remove(name);
                }
            }

            PruneTombstones();
        }
    }

    /// <summary>Marks the cache synced (listed and watching) or not (the watch is down: reads must ask the API server).</summary>
    public void SetSynced(bool synced)
    {
        lock (_gate)
        {
            _isSynced = synced;
            if (synced)
            {
                _synced.TrySetResult();
            }
            else if (_synced.Task.IsCompleted)
            {
                _synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void Saw(string version)
    {
        if (ResourceVersions.CanOrder(version, _highestVersion ?? version) && ResourceVersions.IsNewer(version, _highestVersion))
        {
            _highestVersion = version;
        }
    }

    private void PruneTombstones()
    {
        while (_tombstones.TryPeek(out var oldest) && _time.GetElapsedTime(oldest.At) > TombstoneLifetime)
        {
            _deletedUids.Remove(_tombstones.Dequeue().Uid);
        }
    }
}
