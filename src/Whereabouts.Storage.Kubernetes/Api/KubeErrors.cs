using System.Globalization;
using System.Net;
using k8s.Autorest;
using k8s.Models;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>The one place that turns API server answers and transport failures into the store's exceptions.</summary>
internal static class KubeErrors
{
    /// <summary>The API server's message when etcd refuses an object that is too large.</summary>
    public const string TooLargeMessage = "request is too large";

    public static V1Status? ParseStatus(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(content, WhereaboutsJsonContext.Default.V1Status);
        }
        catch (System.Text.Json.JsonException)
        {
            // A proxy in front of the API server may answer with text or HTML; keep its first line as the message.
            var firstLine = content.AsSpan().Trim();
            var newline = firstLine.IndexOfAny('\r', '\n');
            var text = (newline < 0 ? firstLine : firstLine[..newline]).ToString();
            return new V1Status { Message = text.Length > 200 ? text[..200] : text };
        }
    }

    public static TimeSpan? RetryAfter(HttpOperationException ex, V1Status? status)
    {
        foreach (var (name, values) in ex.Response?.Headers ?? new Dictionary<string, IEnumerable<string>>())
        {
            if (!name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = values.FirstOrDefault()?.Trim();
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at))
            {
                var wait = at - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return status?.Details?.RetryAfterSeconds is int fromStatus and >= 0 ? TimeSpan.FromSeconds(fromStatus) : null;
    }

    /// <summary>True for the statuses a caller handles itself (see <see cref="KubeResult{T}"/>).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, V1Status? status)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta)
            {
                return delta;
            }

            if (header.Date is { } at)
            {
                var wait = at - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return status?.Details?.RetryAfterSeconds is int fromStatus and >= 0 ? TimeSpan.FromSeconds(fromStatus) : null;
    }

    public static bool IsReturned(HttpStatusCode code) =>
        code is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity;

    public static bool IsAuthFailure(HttpStatusCode code) => code is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>The exception for a failed answer that is neither returned to the caller nor an auth failure.</summary>
    public static IpamException ForStatus(HttpStatusCode code, V1Status? status, TimeSpan? retryAfter, KubeRequest request, Uri server)
    {
        var message = status?.Message is { Length: > 0 } m ? m : code.ToString();
        if (code == HttpStatusCode.RequestEntityTooLarge || message.Contains(TooLargeMessage, StringComparison.OrdinalIgnoreCase))
        {
            return new StoreLimitExceededException(
                $"the API server refused to {request} because the object or request is too large ({(int)code}: {message}); " +
                "split the range into smaller ranges so that each pool holds fewer allocations");
        }

        if (code is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
        {
            return new StoreUnavailableException(
                $"API server {server.Authority} answered {(int)code} {code} to {request}: {message}", retryAfter: retryAfter);
        }

        if (code == HttpStatusCode.NotFound)
        {
            return new StoreDataException(
                $"API server {server.Authority} has no {request.QualifiedResource} (404 on {request}): {message}; are the whereabouts CRDs installed?");
        }

        return new StoreDataException($"API server {server.Authority} answered {(int)code} {code} to {request}: {message}");
    }

    public static StoreAccessDeniedException AccessDenied(HttpStatusCode code, V1Status? status, KubeRequest request, string kubeconfigPath)
    {
        var serverMessage = status?.Message is { Length: > 0 } m ? m : code.ToString();
        if (code == HttpStatusCode.Unauthorized)
        {
            return new StoreAccessDeniedException(
                $"the API server rejected the credentials of kubeconfig {kubeconfigPath} (401 Unauthorized) to {request}, " +
                $"also after re-reading the kubeconfig: {serverMessage}; check that its token or client certificate is current");
        }

        // Forbidden: details name the resource and group; the verb and namespace are what we asked for.
        var resource = status?.Details?.Kind is { Length: > 0 } kind ? kind : request.Resource;
        var group = status?.Details?.Group ?? request.Group;
        var qualified = group.Length == 0 ? resource : resource + "." + group;
        return new StoreAccessDeniedException(
            $"the user of kubeconfig {kubeconfigPath} may not {request.Verb} {qualified} in {request.Scope} (403 Forbidden): {serverMessage}; " +
            $"grant verb \"{request.Verb}\" on resource \"{resource}\" in API group \"{group}\" to the whereabouts service account");
    }

    public static StoreAccessDeniedException TlsFailure(Exception ex, KubeRequest request, string kubeconfigPath, Uri server) =>
        new($"TLS handshake with API server {server.Authority} failed to {request}, also after re-reading kubeconfig {kubeconfigPath}: " +
            $"{Innermost(ex).Message}; check its certificate-authority data and client certificate", ex);

    public static StoreUnavailableException Unreachable(Exception ex, KubeRequest request, Uri server) =>
        new($"cannot reach API server {server.Authority} to {request}: {Innermost(ex).Message}", ex);

    public static StoreUnavailableException Timeout(Exception ex, KubeRequest request, Uri server, TimeSpan timeout) =>
        new($"API server {server.Authority} did not answer within {timeout.TotalSeconds:0.###} s to {request}", ex);

    public static StoreDataException Unreadable(Exception ex, KubeRequest request, Uri server) =>
        new($"the answer of API server {server.Authority} to {request} cannot be read: {ex.Message}", ex);

    public static bool IsTlsFailure(HttpRequestException ex) =>
        ex.InnerException is System.Security.Authentication.AuthenticationException;

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
