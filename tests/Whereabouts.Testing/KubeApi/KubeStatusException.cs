using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi;

/// <summary>Carries a failure <see cref="ApiStatus"/> from the request's logic to the HTTP response.</summary>
public sealed class KubeStatusException : Exception
{
    public KubeStatusException()
    {
        Status = new ApiStatus(500, "InternalError", "unknown error");
    }

    public KubeStatusException(string message)
        : base(message)
    {
        Status = new ApiStatus(500, "InternalError", message);
    }

    public KubeStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new ApiStatus(500, "InternalError", message);
    }

    internal KubeStatusException(ApiStatus status)
        : base(status.Message)
    {
        Status = status;
    }

    internal ApiStatus Status { get; }

    /// <summary>The HTTP status code the server answers with.</summary>
    public int Code => Status.Code;

    /// <summary>The machine-readable reason (<c>NotFound</c>, <c>Conflict</c>, ...), or null when kube-apiserver sends none.</summary>
    public string? Reason => Status.Reason;
}
