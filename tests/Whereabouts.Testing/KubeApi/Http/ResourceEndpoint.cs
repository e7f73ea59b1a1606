using Whereabouts.Testing.KubeApi.Operations;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Status;
using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>Serves the verbs on resource collections and objects.</summary>
internal sealed class ResourceEndpoint
{
    private static readonly string[] CustomResourcePatchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

    private static readonly string[] BuiltInPatchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

    private readonly ApiBackend _backend;
    private readonly WatchEndpoint _watch;
    private readonly TableRenderer _tables;

    public ResourceEndpoint(ApiBackend backend, WatchEndpoint watch)
    {
        _backend = backend;
        _watch = watch;
        _tables = new TableRenderer(backend.Options.TimeProvider);
    }

    public async Task HandleAsync(ApiCall call)
    {
        var route = call.Route;
        var resource = route.Resource!;
        var http = call.Http;
        var limit = _backend.Options.MaxRequestBodyBytes;
        switch (call.Verb)
        {
            case "get":
                var item = _backend.Reader.Get(resource, route.Namespace, route.Name!);
                await ApiResponses.WriteJsonAsync(call, 200, TableRenderer.Wanted(http.Request, resource)
                    ? _tables.Render(resource, [item], item.Revision, null, null, http.Request.Query["includeObject"])
                    : item.Json).ConfigureAwait(false);
                break;
            case "list":
                var page = await _backend.Reader.ListAsync(resource, route.Namespace, QueryOptions.List(http.Request, route), http.RequestAborted).ConfigureAwait(false);
                await ApiResponses.WriteJsonAsync(call, 200, TableRenderer.Wanted(http.Request, resource)
                    ? _tables.Render(resource, page.Items, page.Revision, page.Continue, page.RemainingItemCount, http.Request.Query["includeObject"])
                    : ApiResponses.ListJson(resource, page.Items, page.Revision, page.Continue, page.RemainingItemCount)).ConfigureAwait(false);
                break;
            case "watch":
                await _watch.HandleAsync(call, QueryOptions.List(http.Request, route)).ConfigureAwait(false);
                break;
            case "create":
                RequireJson(call, resource);
                var createOptions = QueryOptions.Write(http.Request);
                var created = _backend.Writer.Create(resource, route.Namespace,
                    RequestBody.ParseObject(await RequestBody.ReadAsync(http, limit).ConfigureAwait(false), resource.Kind, createOptions.Duplicates), createOptions);
                ApiResponses.AddWarnings(call, createOptions.Warnings);
                await ApiResponses.WriteJsonAsync(call, 201, created.Json).ConfigureAwait(false);
                break;
            case "update":
                RequireJson(call, resource);
                var updateOptions = QueryOptions.Write(http.Request);
                var body = RequestBody.ParseObject(await RequestBody.ReadAsync(http, limit).ConfigureAwait(false), resource.Kind, updateOptions.Duplicates);
                var (updated, wasCreated) = _backend.Writer.Update(resource, route.Namespace, route.Name!, body, route.Subresource, updateOptions);
                ApiResponses.AddWarnings(call, updateOptions.Warnings);
                await ApiResponses.WriteJsonAsync(call, wasCreated ? 201 : 200, updated.Json).ConfigureAwait(false);
                break;
            case "patch":
                var kind = PatchKindOf(call, resource);
                var patch = await RequestBody.ReadAsync(http, limit).ConfigureAwait(false);
                var patchOptions = QueryOptions.Write(http.Request);
                var patched = _backend.Writer.Patch(resource, route.Namespace, route.Name!, kind, patch, route.Subresource, patchOptions);
                ApiResponses.AddWarnings(call, patchOptions.Warnings);
                await ApiResponses.WriteJsonAsync(call, 200, patched.Json).ConfigureAwait(false);
                break;
            case "delete":
                var options = QueryOptions.Delete(http.Request, await RequestBody.ReadAsync(http, limit).ConfigureAwait(false));
                var result = _backend.Deleter.Delete(resource, route.Namespace, route.Name!, options);
                await ApiResponses.WriteJsonAsync(call, 200, DeleteResponse(resource, result)).ConfigureAwait(false);
                break;
            case "deletecollection":
                await DeleteCollectionAsync(call, resource).ConfigureAwait(false);
                break;
            default:
                throw ApiErrors.MethodNotAllowed();
        }
    }

    private async Task DeleteCollectionAsync(ApiCall call, ResourceDefinition resource)
    {
        var http = call.Http;
        var route = call.Route;
        var options = QueryOptions.Delete(http.Request, await RequestBody.ReadAsync(http, _backend.Options.MaxRequestBodyBytes).ConfigureAwait(false));
        var listOptions = QueryOptions.List(http.Request, route) with { Limit = 0, Continue = null };
        var page = await _backend.Reader.ListAsync(resource, route.Namespace, listOptions, http.RequestAborted).ConfigureAwait(false);
        var results = new List<StoredObject>();
        foreach (var item in page.Items)
        {
            try
            {
                results.Add(_backend.Deleter.Delete(resource, item.Namespace.Length == 0 ? null : item.Namespace, item.Name, options).Object);
            }
            catch (KubeStatusException e) when (e.Code == 404)
            {
                // Deleted meanwhile by someone else.
            }
        }

        await ApiResponses.WriteJsonAsync(call, 200, ApiResponses.ListJson(resource, results, _backend.Store.Revision, null, null)).ConfigureAwait(false);
    }

    /// <summary>
    /// Pods and namespaces answer with the object; other kinds with a Success Status naming the
    /// deleted object (kind holds the resource, as in kube-apiserver).
    /// </summary>
    private static byte[] DeleteResponse(ResourceDefinition resource, DeleteResult result) =>
        resource.ReturnDeletedObject || !result.Deleted
            ? result.Object.Json
            : ApiStatus.Success(new StatusDetails(Name: result.Object.Name, Group: resource.Group, Kind: resource.Plural, Uid: result.Object.Uid)).ToJson();

    private static void RequireJson(ApiCall call, ResourceDefinition resource)
    {
        var mediaType = RequestBody.MediaType(call.Http);
        if (mediaType is not ("" or "application/json" or "*/*"))
        {
            throw ApiErrors.UnsupportedMediaType(resource.IsCustomResource
                ? ["application/json", "application/yaml"]
                : ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
        }
    }

    private static PatchKind PatchKindOf(ApiCall call, ResourceDefinition resource)
    {
        var accepted = resource.IsCustomResource ? CustomResourcePatchTypes : BuiltInPatchTypes;
        return RequestBody.MediaType(call.Http) switch
        {
            "application/json-patch+json" => PatchKind.Json,
            "application/merge-patch+json" => PatchKind.Merge,
            "application/strategic-merge-patch+json" when !resource.IsCustomResource => PatchKind.StrategicMerge,
            "application/apply-patch+yaml" => throw ApiErrors.UnsupportedMediaType(accepted.Where(t => t != "application/apply-patch+yaml")),
            _ => throw ApiErrors.UnsupportedMediaType(accepted),
        };
    }
}
