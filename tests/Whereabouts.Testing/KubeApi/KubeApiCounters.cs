using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Whereabouts.Testing.KubeApi;

/// <summary>
/// Request counts by verb (get, list, watch, create, update, patch, delete, deletecollection),
/// resource (plural, "" for discovery and other non-resource paths) and status code. Also served
/// at <c>GET /debug/counters</c>.
/// </summary>
public sealed class KubeApiCounters
{
    private readonly ConcurrentDictionary<(string Verb, string Resource, int StatusCode), StrongBox<long>> _counts = new();

    /// <summary>All requests counted so far.</summary>
    public long Total => _counts.Values.Sum(c => Interlocked.Read(ref c.Value));

    /// <summary>The count for one verb, resource and status code, e.g. <c>Get("patch", "ippools", 422)</c>.</summary>
    public long Get(string verb, string resource, int statusCode) =>
        _counts.TryGetValue((verb, resource, statusCode), out var count) ? Interlocked.Read(ref count.Value) : 0;

    /// <summary>The count for one verb and resource, whatever the status code.</summary>
    public long Get(string verb, string resource) =>
        _counts.Where(p => p.Key.Verb == verb && p.Key.Resource == resource).Sum(p => Interlocked.Read(ref p.Value.Value));

    public IReadOnlyList<KubeApiCounter> Snapshot() =>
        [.. _counts.Select(p => new KubeApiCounter(p.Key.Verb, p.Key.Resource, p.Key.StatusCode, Interlocked.Read(ref p.Value.Value)))
            .OrderBy(c => c.Resource, StringComparer.Ordinal).ThenBy(c => c.Verb, StringComparer.Ordinal).ThenBy(c => c.StatusCode)];

    public void Reset() => _counts.Clear();

    internal void Record(string verb, string resource, int statusCode) =>
        Interlocked.Increment(ref _counts.GetOrAdd((verb, resource, statusCode), static _ => new StrongBox<long>()).Value);
}
