using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// A client for one kubeconfig, read when the connection opens (the plugin is a new process per call, so a rotated
/// token takes effect at once). Every request gets its own timeout. A 401/403 or failed TLS handshake re-reads the
/// kubeconfig once and retries once; a second refusal is <see cref="StoreAccessDeniedException"/> at once, never a
/// retry that spends the caller's deadline. Transient failures become <see cref="StoreUnavailableException"/>.
/// </summary>
public sealed partial class KubernetesConnection : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<IKubernetes> _retired = [];
    private readonly ILogger _logger;
    private Generation _current;
    private bool _disposed;

    private KubernetesConnection(string kubeconfigPath, TimeSpan requestTimeout, Generation first, string? contextNamespace, ILogger logger)
    {
        KubeconfigPath = kubeconfigPath;
        RequestTimeout = requestTimeout;
        ContextNamespace = contextNamespace;
        _current = first;
        _logger = logger;
    }

    public string KubeconfigPath { get; }

    /// <summary>The namespace of the kubeconfig's current context, if it names one.</summary>
    public string? ContextNamespace { get; }

    /// <summary>The limit for each single request.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>The API server's base address.</summary>
    public Uri Server => Volatile.Read(ref _current).Server;

    /// <summary>Reads the kubeconfig and builds a client (no request is sent).</summary>
    /// <exception cref="StoreUnavailableException">The kubeconfig does not exist (yet).</exception>
    /// <exception cref="StoreAccessDeniedException">The kubeconfig cannot be read or used.</exception>
    public static KubernetesConnection Open(string kubeconfigPath, TimeSpan requestTimeout, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kubeconfigPath);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        WhereaboutsJson.EnsureRegistered();
        logger ??= NullLogger.Instance;
        var (config, generation) = Load(kubeconfigPath, requestTimeout, 0);
        LogLoaded(logger, kubeconfigPath, generation.Server, config.Namespace ?? "(none)");
        return new KubernetesConnection(kubeconfigPath, requestTimeout, generation, config.Namespace, logger);
    }

    /// <summary>
    /// Sends one request. Success and 404/409/422 come back as a <see cref="KubeResult{T}"/>; every other failure is
    /// thrown as a store exception.
    /// </summary>
    public async Task<KubeResult<T>> SendAsync<T>(
        KubeRequest request,
        Func<IKubernetes, CancellationToken, Task<HttpOperationResponse<T>>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var attempt = 0; ; attempt++)
        {
            var generation = Volatile.Read(ref _current);
            Answer<T> answer;
            try
            {
                answer = await SendOnceAsync(generation, request, call, cancellationToken);
            }
            catch (HttpRequestException ex) when (KubeErrors.IsTlsFailure(ex))
            {
                if (attempt == 0)
                {
                    LogRetryingAuth(_logger, "a failed TLS handshake", request.ToString(), KubeconfigPath);
                    Reload(generation, ex.Message);
                    continue;
                }

                throw KubeErrors.TlsFailure(ex, request, KubeconfigPath, generation.Server);
            }

            if (answer.IsSuccess || KubeErrors.IsReturned(answer.StatusCode))
            {
                return new KubeResult<T>(answer.StatusCode, answer.Body, answer.Status);
            }

            if (KubeErrors.IsAuthFailure(answer.StatusCode))
            {
                if (attempt == 0)
                {
                    LogRetryingAuth(_logger, $"{(int)answer.StatusCode} {answer.StatusCode}", request.ToString(), KubeconfigPath);
                    Reload(generation, answer.Status?.Message ?? answer.StatusCode.ToString());
                    continue;
                }

                throw KubeErrors.AccessDenied(answer.StatusCode, answer.Status, request, KubeconfigPath);
            }

            throw KubeErrors.ForStatus(answer.StatusCode, answer.Status, answer.RetryAfter, request, generation.Server);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _current.Client.Dispose();
            foreach (var client in _retired)
            {
                client.Dispose();
            }
        }
    }

    private async Task<Answer<T>> SendOnceAsync<T>(
        Generation generation,
        KubeRequest request,
        Func<IKubernetes, CancellationToken, Task<HttpOperationResponse<T>>> call,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await call(generation.Client, timeout.Token);
            return new Answer<T>(response.Response.StatusCode, response.Body, null, null);
        }
        catch (HttpOperationException ex) when (ex.Response is not null)
        {
            var status = KubeErrors.ParseStatus(ex.Response.Content);
            return new Answer<T>(ex.Response.StatusCode, default, status, KubeErrors.RetryAfter(ex, status));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw KubeErrors.Timeout(ex, request, generation.Server, RequestTimeout);
        }
        catch (HttpRequestException ex) when (!KubeErrors.IsTlsFailure(ex))
        {
            throw KubeErrors.Unreachable(ex, request, generation.Server);
        }
        catch (IOException ex)
        {
            throw KubeErrors.Unreachable(ex, request, generation.Server);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw KubeErrors.Unreadable(ex, request, generation.Server);
        }
    }

    /// <summary>Re-reads the kubeconfig, unless a concurrent request already did since <paramref name="failed"/> was current.</summary>
    private void Reload(Generation failed, string reason)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!ReferenceEquals(_current, failed))
            {
                return;
            }

            Generation next;
            try
            {
                next = Load(KubeconfigPath, RequestTimeout, failed.Number + 1).Generation;
            }
            catch (IpamException ex)
            {
                throw new StoreAccessDeniedException(
                    $"the API server refused kubeconfig {KubeconfigPath} ({reason}) and it cannot be re-read: {ex.Message}", ex);
            }

            // Requests still running on the old client keep it; it is disposed with the connection.
            _retired.Add(failed.Client);
            Volatile.Write(ref _current, next);
        }
    }

    private static (KubernetesClientConfiguration Config, Generation Generation) Load(string path, TimeSpan requestTimeout, int number)
    {
        // install-cni may not have written it yet on a booting node: that passes, a broken file does not.
        if (!File.Exists(path))
        {
            throw new StoreUnavailableException($"kubeconfig {path} does not exist (yet)");
        }

        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new StoreAccessDeniedException($"kubeconfig {path} cannot be used: {ex.Message}", ex);
        }

        config.HttpClientTimeout = requestTimeout;
        try
        {
            var client = new k8s.Kubernetes(config);
            return (config, new Generation(number, client, client.BaseUri));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new StoreAccessDeniedException($"kubeconfig {path} cannot be used: {ex.Message}", ex);
        }
    }

    private sealed record Generation(int Number, IKubernetes Client, Uri Server);

    private readonly record struct Answer<T>(HttpStatusCode StatusCode, T? Body, k8s.Models.V1Status? Status, TimeSpan? RetryAfter)
    {
        public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "loaded kubeconfig {Path}: API server {Server}, context namespace {Namespace}")]
    private static partial void LogLoaded(ILogger logger, string path, Uri server, string @namespace);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "API server refused {Request} with {Reason}; re-reading kubeconfig {Path} and retrying once")]
    private static partial void LogRetryingAuth(ILogger logger, string reason, string request, string path);
}
