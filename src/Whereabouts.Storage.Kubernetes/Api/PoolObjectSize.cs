using System.Text.Encodings.Web;
using System.Text.Json;
using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// Estimates how large an IPPool is as the API server stores it, so a write that etcd would refuse fails early with a
/// clear message instead of "etcdserver: request is too large".
/// </summary>
/// <remarks>
/// Each allocation costs its JSON entry in <c>spec.allocations</c>, plus its entry in <c>metadata.managedFields</c>,
/// where the API server records which manager owns every key (<c>"f:&lt;offset&gt;":{".":{},"f:id":{},…}</c>).
/// A fixed allowance covers the rest of the metadata and etcd's own key and transaction overhead.
/// </remarks>
public static class PoolObjectSize
{
    /// <summary>etcd's default <c>--max-request-bytes</c> (1.5 MiB): the largest object the API server can store.</summary>
    public const long ObjectLimitBytes = 1_572_864;

    /// <summary>The API server's limit on a request body (3 MiB).</summary>
    public const long RequestLimitBytes = 3 * 1024 * 1024;

    /// <summary>Metadata other than the per-key managedFields, and etcd's key and transaction overhead.</summary>
    public const int FixedAllowanceBytes = 2048;

    // {".":{},"f:id":{},"f:ifname":{},"f:podref":{}} plus the quotes, "f:" prefix, colon and comma around the key.
    private const int ManagedFieldsPerKey = 46 + 6;

    // An unreadable key's value is unknown; assume a typical entry (64-hex id, a 40-character pod ref, an ifname).
    private const int UnreadableValueBytes = 160;

    /// <summary>The estimated stored size of a pool with these allocations.</summary>
    public static long Estimate(string name, string range, IEnumerable<KeyValuePair<UInt128, PoolAllocation>> allocations, IReadOnlyList<string> unreadableKeys)
    {
        ArgumentNullException.ThrowIfNull(allocations);
        ArgumentNullException.ThrowIfNull(unreadableKeys);
        long size = FixedAllowanceBytes + (2 * Utf8Length(name)) + Utf8Length(range);
        foreach (var (offset, allocation) in allocations)
        {
            size += EntryBytes(CrdConversion.FormatOffset(offset), allocation);
        }

        foreach (var key in unreadableKeys)
        {
            size += Utf8Length(key) + 3 + UnreadableValueBytes + Utf8Length(key) + ManagedFieldsPerKey;
        }

        return size;
    }

    /// <summary>The estimated bytes one allocation adds: its entry and its managedFields record.</summary>
    public static long EntryBytes(string key, PoolAllocation allocation)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        var keyBytes = Utf8Length(key);

        // "<key>":{"id":"…","ifname":"…","podref":"…"},
        var entry = keyBytes + 3 + 1 + 6 + Utf8Length(allocation.ContainerId) + 2 + 10 + Utf8Length(allocation.IfName) + 2
            + 10 + Utf8Length(allocation.PodRef) + 1 + 1 + 1;
        return entry + keyBytes + ManagedFieldsPerKey;
    }

    /// <summary>Throws when the pool after <paramref name="change"/> would be larger than the API server can store.</summary>
    /// <exception cref="StoreLimitExceededException">The pool would be too large.</exception>
    public static void EnsureWithinLimit(PoolSnapshot snapshot, PoolChange change)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(change);
        if (change.Upserts.Count == 0)
        {
            return;
        }

        var after = change.ApplyTo(snapshot.Allocations);
        var size = Estimate(snapshot.Key.Name, snapshot.Key.Range.ToString(), after, snapshot.UnreadableKeys);
        if (size > ObjectLimitBytes)
        {
            throw new StoreLimitExceededException(
                $"IPPool {snapshot.Key.Name} would hold {after.Count + snapshot.UnreadableKeys.Count} allocations, about {size:N0} bytes, " +
                $"more than the {ObjectLimitBytes:N0} bytes the API server can store in one object (etcd's request limit); " +
                $"split range {snapshot.Key.Range} into several smaller ranges (each gets its own pool), or list several ranges in the network configuration");
        }
    }

    /// <summary>Throws when a request body would exceed the API server's limit.</summary>
    /// <exception cref="StoreLimitExceededException">The body is too large.</exception>
    public static void EnsureRequestWithinLimit(string what, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var bytes = Utf8Length(body);
        if (bytes > RequestLimitBytes)
        {
            throw new StoreLimitExceededException(
                $"the request to {what} would be {bytes:N0} bytes, more than the API server's {RequestLimitBytes:N0}-byte limit; change fewer allocations at once");
        }
    }

    private static int Utf8Length(string text) =>
        JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes.Length;
}
