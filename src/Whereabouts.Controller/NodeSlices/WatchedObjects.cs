namespace Whereabouts.Controller.NodeSlices;

/// <summary>
/// What a slice pass reads of one watched resource, by object key: tells whether a list or an event changed any of
/// it. A Node's status update or the echo of the pass's own write then causes no pass. Not thread-safe:
/// <see cref="NodeSliceWatches"/> serializes its watches and the pass.
/// </summary>
internal sealed class WatchedObjects
{
    // Null until the first list: nothing is known yet.
    private Dictionary<string, string>? _objects;

    public bool IsListed => _objects is not null;

    /// <summary>Takes a list's objects as the whole state; true when that differs from what was known (always, the first time).</summary>
    public bool Replace(IEnumerable<KeyValuePair<string, string>> listed)
    {
        var objects = new Dictionary<string, string>(listed, StringComparer.Ordinal);
        var changed = _objects is not { } before
            || before.Count != objects.Count
            || objects.Any(o => !before.TryGetValue(o.Key, out var known) || known != o.Value);
        _objects = objects;
        return changed;
    }

    /// <summary>Records an object as added or modified; true when that changed what was known.</summary>
    public bool Set(string key, string state)
    {
        if (_objects is null || (_objects.TryGetValue(key, out var known) && known == state))
        {
            return false;
        }

        _objects[key] = state;
        return true;
    }

    /// <summary>Records an object as deleted; true when it was known.</summary>
    public bool Remove(string key)
    {
        return _objects is not null && _objects.Remove(key);
    }
}
