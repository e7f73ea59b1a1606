using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Whereabouts.Testing.KubeApi.Json;
using Whereabouts.Testing.KubeApi.Operations;
using Whereabouts.Testing.KubeApi.Status;
using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>
/// Streams a watch as kube-apiserver does: 200 with newline-delimited
/// <c>{"type":...,"object":...}</c> events, BOOKMARKs when allowed, and errors that arise after
/// the request was accepted (such as a too old resourceVersion) as a single ERROR event.
/// </summary>
internal sealed class WatchEndpoint
{
    /// <summary>kube-apiserver's default watch lifetime is random between 30 and 60 minutes (--min-request-timeout).</summary>
    private static readonly TimeSpan MinimumDefaultTimeout = TimeSpan.FromMinutes(30);

    private readonly ApiBackend _backend;
    private readonly Func<CancellationToken> _outageToken;
    private readonly CancellationToken _stopping;
    private readonly TableRenderer _tables;

    public WatchEndpoint(ApiBackend backend, Func<CancellationToken> outageToken, CancellationToken stopping)
    {
        _backend = backend;
        _outageToken = outageToken;
        _stopping = stopping;
        _tables = new TableRenderer(backend.Options.TimeProvider);
    }

    public async Task HandleAsync(ApiCall call, ListOptions options)
    {
        var route = call.Route;
        var http = call.Http;
        var timeout = options.Timeout ?? MinimumDefaultTimeout * (1 + Random.Shared.NextDouble());
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _outageToken(), _stopping);
        lifetime.CancelAfter(timeout);
        WatchSubscription subscription;
        try
        {
            subscription = await _backend.Reader.WatchAsync(route.Resource!, route.Namespace, options, lifetime.Token).ConfigureAwait(false);
        }
        catch (StoreExpiredException e)
        {
            var expired = ApiErrors.Expired(string.Create(CultureInfo.InvariantCulture, $"too old resource version: {e.Requested} ({e.Compacted})"));
            await WriteErrorEventAsync(call, expired).ConfigureAwait(false);
            return;
        }
        catch (KubeStatusException e) when (e.Code == 504)
        {
            await WriteErrorEventAsync(call, e).ConfigureAwait(false);
            return;
        }

        using (subscription)
        {
            if (options.SendInitialEvents == true)
            {
                _backend.Store.Bookmark(subscription, initialEventsEnd: true);
            }

            await StartStreamAsync(call).ConfigureAwait(false);
            using var bookmarks = options.AllowWatchBookmarks ? StartBookmarks(subscription, lifetime.Token) : null;
            try
            {
                await PumpAsync(http, subscription, AsTables(call), lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested && _outageToken().IsCancellationRequested)
            {
                // An outage began: the connection goes down with the server.
                http.Abort();
            }
            catch (OperationCanceledException)
            {
                // Timed out (the stream ends normally) or the client went away.
            }
        }
    }

    private static async Task PumpAsync(HttpContext http, WatchSubscription subscription, Func<WatchFrame, WatchFrame> transform, CancellationToken cancellationToken)
    {
        var body = http.Response.Body;
        while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (subscription.Reader.TryRead(out var frame))
            {
                await WriteFrameAsync(body, transform(frame), cancellationToken).ConfigureAwait(false);
            }

            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteFrameAsync(Stream body, WatchFrame frame, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(frame.Object.Length + 32);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", frame.Type);
            writer.WritePropertyName("object");
            writer.WriteRawValue(frame.Object, skipInputValidation: true);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        await body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For a client that asked for Tables (kubectl get -w), object events carry one-row Tables.</summary>
    private Func<WatchFrame, WatchFrame> AsTables(ApiCall call)
    {
        var resource = call.Route.Resource!;
        if (!TableRenderer.Wanted(call.Http.Request, resource))
        {
            return frame => frame;
        }

        var includeObject = (string?)call.Http.Request.Query["includeObject"];
        var first = true;
        return frame =>
        {
            if (frame.Type is "BOOKMARK" or "ERROR")
            {
                return frame;
            }

            var table = frame with { Object = _tables.RenderEvent(resource, frame.Object, includeObject, first) };
            first = false;
            return table;
        };
    }

    private static async Task StartStreamAsync(ApiCall call)
    {
        call.StatusCode = 200;
        var response = call.Http.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        call.Http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(call.Http.RequestAborted).ConfigureAwait(false);
        await response.Body.FlushAsync(call.Http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteErrorEventAsync(ApiCall call, KubeStatusException error)
    {
        await StartStreamAsync(call).ConfigureAwait(false);
        await WriteFrameAsync(call.Http.Response.Body, new WatchFrame("ERROR", error.Status.ToJson()), call.Http.RequestAborted).ConfigureAwait(false);
    }

    private PeriodicBookmarks StartBookmarks(WatchSubscription subscription, CancellationToken cancellationToken) =>
        new(_backend.Store, subscription, _backend.Options.BookmarkInterval, _backend.Options.TimeProvider, cancellationToken);
}
