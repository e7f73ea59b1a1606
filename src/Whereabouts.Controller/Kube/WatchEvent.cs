using k8s.Models;

namespace Whereabouts.Controller.Kube;

/// <summary>One event of a pod watch.</summary>
/// <param name="Type"><c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>, <c>BOOKMARK</c> or <c>ERROR</c>.</param>
/// <param name="Pod">The pod, for the first three.</param>
/// <param name="ResourceVersion">The version to watch on from after this event; null for an error.</param>
/// <param name="ErrorCode">The status code of an <c>ERROR</c> (410 when the version is too old to watch from).</param>
/// <param name="ErrorMessage">The message of an <c>ERROR</c>.</param>
internal sealed record WatchEvent(string Type, V1Pod? Pod, string? ResourceVersion, int? ErrorCode = null, string? ErrorMessage = null)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";

    /// <summary>410 Gone: the version was compacted away; only a new list can catch up.</summary>
    public bool IsExpired => ErrorCode == 410;
}
