using System.Net;
using k8s.Models;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// The answer to one request: a success with its body, or one of the statuses a caller decides on itself
/// (404 Not Found, 409 Conflict, 422 Invalid) with the server's <see cref="V1Status"/>. Every other failure is
/// thrown as a store exception by <see cref="KubernetesConnection"/>.
/// </summary>
public sealed record KubeResult<T>(HttpStatusCode StatusCode, T? Body, V1Status? Status)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsInvalid => StatusCode == HttpStatusCode.UnprocessableEntity;

    /// <summary>The server's explanation of a failure, or the status code when it gave none.</summary>
    public string Message => Status?.Message is { Length: > 0 } message ? message : $"HTTP {(int)StatusCode} {StatusCode}";
}
