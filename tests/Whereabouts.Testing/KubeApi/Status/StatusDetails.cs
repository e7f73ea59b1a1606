namespace Whereabouts.Testing.KubeApi.Status;

/// <summary>A metav1.StatusDetails; every member is omitted from JSON when empty, as in Go.</summary>
internal sealed record StatusDetails(
    string? Name = null,
    string? Group = null,
    string? Kind = null,
    string? Uid = null,
    IReadOnlyList<StatusCause>? Causes = null,
    int RetryAfterSeconds = 0);
