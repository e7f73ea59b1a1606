using Microsoft.AspNetCore.Http;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>
/// The request pipeline: outage, latency and faults (which happen "on the network", before the
/// server looks at the request), then authentication, routing, authorization and the endpoint.
/// Every request is counted with the status it got.
/// </summary>
internal sealed class KubeApiPipeline : IDisposable
{
    private readonly ApiBackend _backend;
    private readonly KubeApiFaults _faults;
    private readonly KubeApiCounters _counters;
    private readonly Authenticator _authenticator;
    private readonly DiscoveryDocuments _discovery;
    private readonly ResourceEndpoint _resources;
    private readonly DebugEndpoint _debug;
    private readonly Func<string> _serverAddress;
    private readonly Lock _outageGate = new();
    private CancellationTokenSource _outage = new();

    public KubeApiPipeline(ApiBackend backend, KubeApiFaults faults, KubeApiCounters counters, Authenticator authenticator,
        Func<string> serverAddress, CancellationToken stopping)
    {
        _backend = backend;
        _faults = faults;
        _counters = counters;
        _authenticator = authenticator;
        _serverAddress = serverAddress;
        _discovery = new DiscoveryDocuments(backend.Catalog, backend.Options.KubernetesVersion);
        _resources = new ResourceEndpoint(backend, new WatchEndpoint(backend, OutageToken, stopping));
        _debug = new DebugEndpoint(faults, counters);
        faults.OutageStarted += CutWatches;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.StartsWith("/debug/", StringComparison.Ordinal))
        {
            await _debug.HandleAsync(http).ConfigureAwait(false);
            return;
        }

        var route = ApiRouter.Route(path, _backend.Catalog);
        var call = new ApiCall(http, route, VerbOf(http.Request, route));
        try
        {
            if (await BeforeProcessingAsync(call).ConfigureAwait(false))
            {
                var user = _authenticator.Authenticate(http.Request) ?? throw ApiErrors.Unauthorized();
                await DispatchAsync(call, user).ConfigureAwait(false);
            }
        }
        catch (KubeStatusException e) when (!http.Response.HasStarted)
        {
            await ApiResponses.WriteStatusAsync(call, e, _faults.RetryAfterSeconds).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            call.StatusCode = 0;
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            // A bug here must still look like kube-apiserver's answer to a panic, not an empty 500.
            await ApiResponses.WriteStatusAsync(call, ApiErrors.InternalError(e.Message)).ConfigureAwait(false);
        }
        finally
        {
            _counters.Record(call.Verb, call.ResourceName, call.StatusCode);
        }
    }

    public void Dispose()
    {
        _faults.OutageStarted -= CutWatches;
        lock (_outageGate)
        {
            _outage.Dispose();
        }
    }

    private CancellationToken OutageToken()
    {
        lock (_outageGate)
        {
            return _outage.Token;
        }
    }

    private void CutWatches()
    {
        CancellationTokenSource cut;
        lock (_outageGate)
        {
            cut = _outage;
            _outage = new CancellationTokenSource();
        }

        cut.Cancel();
        cut.Dispose();
    }

    /// <summary>Applies the outage, latency and before-processing faults; false when the request was answered (or cut) here.</summary>
    private async Task<bool> BeforeProcessingAsync(ApiCall call)
    {
        var http = call.Http;
        if (_faults.CurrentOutage() is { } outage)
        {
            if (outage.Mode == OutageMode.Refuse)
            {
                call.StatusCode = 0;
                http.Abort();
                return false;
            }

            await outage.Ended.WaitAsync(http.RequestAborted).ConfigureAwait(false);
        }

        var delay = _faults.NextLatency(call.IsWrite);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, http.RequestAborted).ConfigureAwait(false);
        }

        _faults.RunHooks(call.Verb, call.ResourceName);
        if (_faults.Strike(call.Verb, call.ResourceName, FaultPoint.BeforeProcessing) is { } fault)
        {
            await ApiResponses.WriteFaultAsync(call, fault, _faults.RetryAfterSeconds).ConfigureAwait(false);
            return false;
        }

        call.PendingFault = _faults.Strike(call.Verb, call.ResourceName, FaultPoint.AfterProcessing);
        return true;
    }

    private async Task DispatchAsync(ApiCall call, KubeApiUser user)
    {
        var route = call.Route;
        if (route.Kind is not (ApiRouteKind.Resource or ApiRouteKind.Unknown) && !HttpMethods.IsGet(call.Http.Request.Method))
        {
            throw ApiErrors.MethodNotAllowed();
        }

        switch (route.Kind)
        {
            case ApiRouteKind.Info:
                await WriteInfoAsync(call).ConfigureAwait(false);
                return;
            case ApiRouteKind.CoreVersions:
                await ApiResponses.WriteJsonAsync(call, 200, _discovery.CoreVersions(_serverAddress())).ConfigureAwait(false);
                return;
            case ApiRouteKind.Groups:
                await ApiResponses.WriteJsonAsync(call, 200, _discovery.Groups()).ConfigureAwait(false);
                return;
            case ApiRouteKind.Group:
                await ApiResponses.WriteJsonAsync(call, 200, _discovery.Group(route.Group)).ConfigureAwait(false);
                return;
            case ApiRouteKind.ResourceList:
                await ApiResponses.WriteJsonAsync(call, 200, _discovery.Resources(route.Group, route.Version)).ConfigureAwait(false);
                return;
            case ApiRouteKind.UnknownResource:
                throw ApiErrors.ResourceNotFound();
            case ApiRouteKind.Resource:
                Authorize(call, user);
                await _resources.HandleAsync(call).ConfigureAwait(false);
                return;
            default:
                await ApiResponses.WritePlainAsync(call, 404, "404 page not found\n").ConfigureAwait(false);
                return;
        }
    }

    private async Task WriteInfoAsync(ApiCall call)
    {
        if (call.Http.Request.Path.Value?.Trim('/') == "version")
        {
            await ApiResponses.WriteJsonAsync(call, 200, _discovery.Version()).ConfigureAwait(false);
        }
        else
        {
            await ApiResponses.WritePlainAsync(call, 200, "ok").ConfigureAwait(false);
        }
    }

    /// <summary>The authorizer's decision and, on a denial, the forbidden message kube-apiserver builds from the request attributes.</summary>
    private static void Authorize(ApiCall call, KubeApiUser user)
    {
        var route = call.Route;
        var resource = route.Resource!;
        if (call.Verb == "unknown")
        {
            throw ApiErrors.MethodNotAllowed();
        }

        var authorizedResource = route.Subresource is null ? resource.Plural : $"{resource.Plural}/{route.Subresource}";
        var namespaceName = resource.IsNamespaces ? route.Name : route.Namespace;
        if (user.IsAllowed(call.Verb, resource.Group, authorizedResource, namespaceName))
        {
            return;
        }

        var scope = string.IsNullOrEmpty(namespaceName) ? "at the cluster scope" : $"in the namespace \"{namespaceName}\"";
        var reason = $"User \"{user.Name}\" cannot {call.Verb} resource \"{authorizedResource}\" in API group \"{resource.Group}\" {scope}";
        throw ApiErrors.Forbidden(resource.Group, resource.Plural, route.Name ?? "", reason);
    }

    private static string VerbOf(HttpRequest request, ApiRoute route)
    {
        if (route.Kind != ApiRouteKind.Resource)
        {
            return "get";
        }

        var hasName = route.Name is not null;
        bool IsWatch()
        {
            try
            {
                return route.LegacyWatch || QueryOptions.IsWatch(request);
            }
            catch (KubeStatusException)
            {
                // Reported when the list options are decoded.
                return false;
            }
        }

        return request.Method switch
        {
            "GET" when hasName => route.LegacyWatch ? "watch" : "get",
            "GET" => IsWatch() ? "watch" : "list",
            "POST" when !hasName => "create",
            "PUT" when hasName => "update",
            "PATCH" when hasName => "patch",
            "DELETE" => hasName ? "delete" : "deletecollection",
            _ => "unknown",
        };
    }
}
