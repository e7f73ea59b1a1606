namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>One event of a watch of whereabouts objects.</summary>
/// <param name="Type"><c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>, <c>BOOKMARK</c> or <c>ERROR</c>.</param>
/// <param name="Item">The object, for the first three.</param>
/// <param name="ResourceVersion">The version to watch on from after this event; null for an error.</param>
/// <param name="ErrorCode">The status code of an <c>ERROR</c> (410 when the version is too old to watch from).</param>
/// <param name="ErrorMessage">The message of an <c>ERROR</c>.</param>
public sealed record WatchEvent<T>(string Type, T? Item, string? ResourceVersion, int? ErrorCode = null, string? ErrorMessage = null)
    where T : class
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";

    /// <summary>410 Gone: the version was compacted away; only a new list can catch up.</summary>
    public bool IsExpired => ErrorCode == 410;
}
