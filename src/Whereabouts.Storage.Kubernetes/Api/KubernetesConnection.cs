using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Crds;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// A client for one kubeconfig, read when the connection opens (the plugin is a new process per call, so a rotated
/// token takes effect at once). Every request gets its own timeout. A 401/403 or failed TLS handshake re-reads the
/// kubeconfig once and retries once; a second refusal is <see cref="StoreAccessDeniedException"/> at once, never a
/// retry that spends the caller's deadline. Transient failures become <see cref="StoreUnavailableException"/>.
/// A connection can also be built from credentials other than a kubeconfig file (a pod's service account): the
/// configuration is then produced by the caller, again on every re-read.
/// </summary>
public sealed partial class KubernetesConnection : IDisposable
{
    /// <summary>The <c>code</c> of <see cref="IpamMetrics.ApiErrors"/> for a request that got no answer in time.</summary>
    public const string TimeoutCode = "timeout";

    /// <summary>The <c>code</c> for a connection that could not be made or broke.</summary>
    public const string UnreachableCode = "unreachable";

    /// <summary>The <c>code</c> for a failed TLS handshake.</summary>
    public const string TlsFailureCode = "tls";

    /// <summary>The <c>code</c> for a successful answer whose body cannot be read.</summary>
    public const string UnreadableCode = "unreadable";

    private readonly Lock _gate = new();
    private readonly List<Generation> _retired = [];
    private readonly ILogger _logger;
    private readonly Func<KubernetesClientConfiguration> _readConfiguration;
    private Generation _current;
    private bool _disposed;

    private KubernetesConnection(
        string kubeconfigPath,
        Func<KubernetesClientConfiguration> readConfiguration,
        TimeSpan requestTimeout,
        Generation first,
        string? contextNamespace,
        ILogger logger)
    {
        KubeconfigPath = kubeconfigPath;
        _readConfiguration = readConfiguration;
        RequestTimeout = requestTimeout;
        ContextNamespace = contextNamespace;
        _current = first;
        _logger = logger;
    }

    /// <summary>The kubeconfig file, or the description of the credentials a connection was opened with.</summary>
    public string KubeconfigPath { get; }

    /// <summary>The namespace of the kubeconfig's current context, if it names one.</summary>
    public string? ContextNamespace { get; }

    /// <summary>The limit for each single request.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>True when the server certificate is checked against the kubeconfig's own authorities only.</summary>
    public bool PinsAuthority => Volatile.Read(ref _current).Config is { SkipTlsVerify: false, SslCaCerts.Count: > 0 };

    /// <summary>The API server's base address.</summary>
    public Uri Server => Volatile.Read(ref _current).Server;

    /// <summary>Reads the kubeconfig and builds a client (no request is sent).</summary>
    /// <exception cref="StoreUnavailableException">The kubeconfig does not exist (yet).</exception>
    /// <exception cref="StoreAccessDeniedException">The kubeconfig cannot be read or used.</exception>
    public static KubernetesConnection Open(string kubeconfigPath, TimeSpan requestTimeout, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kubeconfigPath);
        return Open(kubeconfigPath, () => ReadKubeconfig(kubeconfigPath), requestTimeout, logger);
    }

    /// <summary>
    /// Builds a client from a configuration <paramref name="readConfiguration"/> produces (no request is sent). It runs
    /// again whenever the server refuses the credentials, so it must read them afresh each time.
    /// </summary>
    /// <param name="source">Names the credentials in messages, where a kubeconfig path would be.</param>
    /// <exception cref="StoreUnavailableException">The configuration cannot be read yet (thrown by <paramref name="readConfiguration"/>).</exception>
    /// <exception cref="StoreAccessDeniedException">The configuration cannot be read or used.</exception>
    public static KubernetesConnection Open(
        string source, Func<KubernetesClientConfiguration> readConfiguration, TimeSpan requestTimeout, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(readConfiguration);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        logger ??= NullLogger.Instance;
        var (config, generation) = Load(source, readConfiguration, requestTimeout, 0);
        LogLoaded(logger, source, generation.Server, config.Namespace ?? "(none)");
        return new KubernetesConnection(source, readConfiguration, requestTimeout, generation, config.Namespace, logger);
    }

    /// <summary>
    /// Sends one request and reads the answer with <paramref name="responseType"/> (source-generated metadata). Success
    /// and 404/409/422 come back as a <see cref="KubeResult{T}"/>; every other failure is thrown as a store exception.
    /// </summary>
    /// <param name="request">What the request does, for messages.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="pathAndQuery">The path below the server address, with its query.</param>
    /// <param name="responseType">How to read a successful answer.</param>
    /// <param name="content">Makes the request body; called again if the request is retried after re-reading the kubeconfig.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<KubeResult<T>> SendAsync<T>(
        KubeRequest request,
        HttpMethod method,
        string pathAndQuery,
        JsonTypeInfo<T> responseType,
        Func<HttpContent>? content,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrEmpty(pathAndQuery);
        ArgumentNullException.ThrowIfNull(responseType);
        var answer = await SendCoreAsync(
            request,
            (generation, ct) => SendOnceRawAsync(generation, method, pathAndQuery, (stream, _, token) => JsonSerializer.DeserializeAsync(stream, responseType, token), content, ct),
            cancellationToken);
        return new KubeResult<T>(answer.StatusCode, answer.Body, answer.Status);
    }

    /// <summary>
    /// As <see cref="SendAsync{T}(KubeRequest, HttpMethod, string, JsonTypeInfo{T}, Func{HttpContent}?, CancellationToken)"/>,
    /// reading a successful answer with <paramref name="read"/> once it has arrived whole (into a pooled buffer).
    /// </summary>
    internal async Task<KubeResult<T>> SendAsync<T>(
        KubeRequest request,
        HttpMethod method,
        string pathAndQuery,
        ObjectReader<T> read,
        Func<HttpContent>? content,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(read);
        var answer = await SendCoreAsync(
            request,
            (generation, ct) => SendOnceRawAsync(generation, method, pathAndQuery, (stream, length, token) => ReadWholeAsync(stream, length, read, token), content, ct),
            cancellationToken);
        return new KubeResult<T>(answer.StatusCode, answer.Body, answer.Status);
    }

    /// <summary>
    /// Sends one request through KubernetesClient's generated API, for callers that need its typed built-in objects
    /// (the controller). The plugin never comes here: the generated client would make it several times bigger and
    /// slower to start. Answers are handled as in <see cref="SendAsync{T}(KubeRequest, HttpMethod, string, JsonTypeInfo{T}, Func{HttpContent}?, CancellationToken)"/>.
    /// </summary>
    public async Task<KubeResult<T>> SendAsync<T>(
        KubeRequest request,
        Func<IKubernetes, CancellationToken, Task<HttpOperationResponse<T>>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        WhereaboutsJson.EnsureRegistered();
        var answer = await SendCoreAsync(request, (generation, ct) => CallAsync(GeneratedClient(generation), call, ct), cancellationToken);
        return new KubeResult<T>(answer.StatusCode, answer.Body, answer.Status);
    }

    /// <summary>
    /// Sends a GET whose body is read as it arrives (a watch): the headers must come within
    /// <see cref="RequestTimeout"/>, the body has no time limit. Credentials and failures are handled as in
    /// the other <c>SendAsync</c>, and every answer other than a success is thrown. The caller disposes the response.
    /// </summary>
    /// <param name="request">What the request does, for messages.</param>
    /// <param name="pathAndQuery">The path below the server address, with its query, e.g. <c>api/v1/pods?watch=true</c>.</param>
    public async Task<HttpResponseMessage> OpenStreamAsync(KubeRequest request, string pathAndQuery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(pathAndQuery);
        var answer = await SendCoreAsync(request, (generation, ct) => StreamAsync(generation, pathAndQuery, ct), cancellationToken);
        return answer.IsSuccess && answer.Body is { } response
            ? response
            : throw KubeErrors.ForStatus(answer.StatusCode, answer.Status, answer.RetryAfter, request, Server);
    }

    private async Task<Answer<T>> SendCoreAsync<T>(
        KubeRequest request,
        Func<Generation, CancellationToken, Task<Answer<T>>> send,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var attempt = 0; ; attempt++)
        {
            var generation = Volatile.Read(ref _current);
            Answer<T> answer;
            try
            {
                answer = await SendOnceAsync(generation, request, send, cancellationToken);
            }
            catch (HttpRequestException ex) when (KubeErrors.IsTlsFailure(ex))
            {
                IpamMetrics.RecordApiError(TlsFailureCode);
                if (attempt == 0)
                {
                    LogRetryingAuth(_logger, "a failed TLS handshake", request.ToString(), KubeconfigPath);
                    Reload(generation, ex.Message);
                    continue;
                }

                throw KubeErrors.TlsFailure(ex, request, KubeconfigPath, generation.Server);
            }

            if (!answer.IsSuccess && answer.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Conflict))
            {
                IpamMetrics.RecordApiError(((int)answer.StatusCode).ToString(CultureInfo.InvariantCulture));
            }

            if (answer.IsSuccess || KubeErrors.IsReturned(answer.StatusCode))
            {
                return answer;
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
            _current.Dispose();
            foreach (var generation in _retired)
            {
                generation.Dispose();
            }
        }
    }

    private static k8s.Kubernetes GeneratedClient(Generation generation)
    {
        lock (generation)
        {
            return generation.Generated ??= new k8s.Kubernetes(generation.Config);
        }
    }

    /// <summary>
    /// Buffers for whole answers (a 10,000-entry pool is 1.5 MB). Not the shared pool: it keeps arrays per thread and per
    /// core, and a node agent whose pool writes ran on many threads held 15-30 MiB more of them after a burst
    /// (measured with <c>LoadTest --agent-memory</c>). This one keeps at most two of each size.
    /// </summary>
    private static readonly ArrayPool<byte> AnswerBuffers = ArrayPool<byte>.Create(8 << 20, 2);

    internal static async ValueTask<T?> ReadWholeAsync<T>(Stream stream, long? contentLength, ObjectReader<T> read, CancellationToken cancellationToken)
    {
        // One byte more than announced, so that the end is found without growing the buffer.
        var buffer = AnswerBuffers.Rent(contentLength is > 0 and < int.MaxValue ? (int)contentLength.Value + 1 : 64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = AnswerBuffers.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, larger, 0, length);
                    AnswerBuffers.Return(buffer);
                    buffer = larger;
                }

                var count = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (count == 0)
                {
                    return read(buffer.AsSpan(0, length));
                }

                length += count;
            }
        }
        finally
        {
            AnswerBuffers.Return(buffer);
        }
    }

    private static async Task<Answer<T>> SendOnceRawAsync<T>(
        Generation generation,
        HttpMethod method,
        string pathAndQuery,
        Func<Stream, long?, CancellationToken, ValueTask<T?>> readBody,
        Func<HttpContent>? content,
        CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, generation.UriOf(pathAndQuery)) { Content = content?.Invoke() };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        await KubeHttp.AuthorizeAsync(message, generation.Config, cancellationToken);
        using var response = await generation.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var body = await readBody(stream, response.Content.Headers.ContentLength, cancellationToken);
            return new Answer<T>(response.StatusCode, body, null, null);
        }

        var status = KubeErrors.ParseStatus(await response.Content.ReadAsStringAsync(cancellationToken));
        return new Answer<T>(response.StatusCode, default, status, KubeErrors.RetryAfter(response, status));
    }

    private static async Task<Answer<T>> CallAsync<T>(
        IKubernetes client, Func<IKubernetes, CancellationToken, Task<HttpOperationResponse<T>>> call, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await call(client, cancellationToken);
            return new Answer<T>(response.Response.StatusCode, response.Body, null, null);
        }
        catch (HttpOperationException ex) when (ex.Response is not null)
        {
            var status = KubeErrors.ParseStatus(ex.Response.Content);
            return new Answer<T>(ex.Response.StatusCode, default, status, KubeErrors.RetryAfter(ex, status));
        }
    }

    private static async Task<Answer<HttpResponseMessage>> StreamAsync(Generation generation, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, generation.UriOf(pathAndQuery));
        await KubeHttp.AuthorizeAsync(message, generation.Config, cancellationToken);
        var response = await generation.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new Answer<HttpResponseMessage>(response.StatusCode, response, null, null);
        }

        using (response)
        {
            var status = KubeErrors.ParseStatus(await response.Content.ReadAsStringAsync(cancellationToken));
            return new Answer<HttpResponseMessage>(response.StatusCode, null, status, response.Headers.RetryAfter?.Delta);
        }
    }

    private async Task<Answer<T>> SendOnceAsync<T>(
        Generation generation,
        KubeRequest request,
        Func<Generation, CancellationToken, Task<Answer<T>>> send,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return await send(generation, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            IpamMetrics.RecordApiError(TimeoutCode);
            throw KubeErrors.Timeout(ex, request, generation.Server, RequestTimeout);
        }
        catch (HttpRequestException ex) when (!KubeErrors.IsTlsFailure(ex))
        {
            IpamMetrics.RecordApiError(UnreachableCode);
            throw KubeErrors.Unreachable(ex, request, generation.Server);
        }
        catch (IOException ex)
        {
            IpamMetrics.RecordApiError(UnreachableCode);
            throw KubeErrors.Unreachable(ex, request, generation.Server);
        }
        catch (System.Text.Json.JsonException ex)
        {
            IpamMetrics.RecordApiError(UnreadableCode);
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
                next = Load(KubeconfigPath, _readConfiguration, RequestTimeout, failed.Number + 1).Generation;
            }
            catch (IpamException ex)
            {
                throw new StoreAccessDeniedException(
                    $"the API server refused kubeconfig {KubeconfigPath} ({reason}) and it cannot be re-read: {ex.Message}", ex);
            }

            // Requests still running on the old client keep it; it is disposed with the connection.
            _retired.Add(failed);
            Volatile.Write(ref _current, next);
        }
    }

    private static KubernetesClientConfiguration ReadKubeconfig(string path)
    {
        // install-cni may not have written it yet on a booting node: that passes, a broken file does not.
        if (!File.Exists(path))
        {
            throw new StoreUnavailableException($"kubeconfig {path} does not exist (yet)");
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
    }

    private static (KubernetesClientConfiguration Config, Generation Generation) Load(
        string path, Func<KubernetesClientConfiguration> readConfiguration, TimeSpan requestTimeout, int number)
    {
        KubernetesClientConfiguration config;
        try
        {
            config = readConfiguration();
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or IpamException))
        {
            throw new StoreAccessDeniedException($"kubeconfig {path} cannot be used: {ex.Message}", ex);
        }

        config.HttpClientTimeout = requestTimeout;
        try
        {
            var server = new Uri(config.Host.TrimEnd('/') + "/");
            return (config, new Generation(number, config, KubeHttp.CreateClient(config), server));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new StoreAccessDeniedException($"kubeconfig {path} cannot be used: {ex.Message}", ex);
        }
    }

    /// <summary>One reading of the kubeconfig and the HTTP client built from it.</summary>
    private sealed class Generation(int number, KubernetesClientConfiguration config, HttpClient http, Uri server) : IDisposable
    {
        public int Number { get; } = number;

        public KubernetesClientConfiguration Config { get; } = config;

        public HttpClient Http { get; } = http;

        public Uri Server { get; } = server;

        /// <summary>KubernetesClient's generated client, made on first use by the typed overload only.</summary>
        public k8s.Kubernetes? Generated { get; set; }

        public Uri UriOf(string pathAndQuery) => new(Server, pathAndQuery.TrimStart('/'));

        public void Dispose()
        {
            Http.Dispose();
            Generated?.Dispose();
        }
    }

    private readonly record struct Answer<T>(HttpStatusCode StatusCode, T? Body, k8s.Models.V1Status? Status, TimeSpan? RetryAfter)
    {
        public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "loaded kubeconfig {Path}: API server {Server}, context namespace {Namespace}")]
    private static partial void LogLoaded(ILogger logger, string path, Uri server, string @namespace);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "API server refused {Request} with {Reason}; re-reading kubeconfig {Path} and retrying once")]
    private static partial void LogRetryingAuth(ILogger logger, string reason, string request, string path);
}
