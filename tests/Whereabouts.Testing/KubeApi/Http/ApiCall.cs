using Microsoft.AspNetCore.Http;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>One request in flight: what it is (for counters, faults and authorization) and how it was answered.</summary>
internal sealed class ApiCall
{
    public ApiCall(HttpContext http, ApiRoute route, string verb)
    {
        Http = http;
        Route = route;
        Verb = verb;
    }

    public HttpContext Http { get; }

    public ApiRoute Route { get; }

    /// <summary>The kube-apiserver verb (get, list, watch, create, update, patch, delete, deletecollection).</summary>
    public string Verb { get; }

    /// <summary>The resource plural for counters and faults; "" outside resources.</summary>
    public string ResourceName => Route.Resource?.Plural ?? "";

    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";

    /// <summary>A fault that replaces the response once the request has been processed.</summary>
    public KubeApiFault? PendingFault { get; set; }

    /// <summary>The status code answered; 0 when the connection was dropped.</summary>
    public int StatusCode { get; set; }
}
