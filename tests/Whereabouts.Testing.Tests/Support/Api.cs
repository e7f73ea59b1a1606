using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whereabouts.Testing.Tests.Support;

/// <summary>Short forms of the client calls the tests repeat, and of reading a failed call's Status.</summary>
internal static class Api
{
    public const string Namespace = "kube-system";

    private static readonly System.Text.Json.JsonSerializerOptions CompactOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public static Task<IpPool> CreatePoolAsync(this Kubernetes client, IpPool pool, string namespaceName = Namespace) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync<IpPool>(pool, IpPool.Group, IpPool.Version, namespaceName, IpPool.Plural, cancellationToken: Token);

    public static Task<IpPool> GetPoolAsync(this Kubernetes client, string name, string namespaceName = Namespace) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<IpPool>(IpPool.Group, IpPool.Version, namespaceName, IpPool.Plural, name, Token);

    public static Task<IpPool> ReplacePoolAsync(this Kubernetes client, IpPool pool, string namespaceName = Namespace) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<IpPool>(pool, IpPool.Group, IpPool.Version, namespaceName, IpPool.Plural, pool.Metadata.Name, cancellationToken: Token);

    public static Task<IpPool> PatchPoolAsync(this Kubernetes client, string name, string patch, V1Patch.PatchType type = V1Patch.PatchType.JsonPatch, string namespaceName = Namespace) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync<IpPool>(new V1Patch(patch, type), IpPool.Group, IpPool.Version, namespaceName, IpPool.Plural, name, cancellationToken: Token);

    public static Task<IpPoolList> ListPoolsAsync(this Kubernetes client, string? namespaceName = Namespace, string? labelSelector = null,
        string? fieldSelector = null, int? limit = null, string? continueToken = null, string? resourceVersion = null, string? resourceVersionMatch = null) =>
        namespaceName is null
            ? client.CustomObjects.ListCustomObjectForAllNamespacesAsync<IpPoolList>(IpPool.Group, IpPool.Version, IpPool.Plural,
                continueParameter: continueToken, fieldSelector: fieldSelector, labelSelector: labelSelector, limit: limit,
                resourceVersion: resourceVersion, resourceVersionMatch: resourceVersionMatch, cancellationToken: Token)
            : client.CustomObjects.ListNamespacedCustomObjectAsync<IpPoolList>(IpPool.Group, IpPool.Version, namespaceName, IpPool.Plural,
                continueParameter: continueToken, fieldSelector: fieldSelector, labelSelector: labelSelector, limit: limit,
                resourceVersion: resourceVersion, resourceVersionMatch: resourceVersionMatch, cancellationToken: Token);

    public static Task<object> DeletePoolAsync(this Kubernetes client, string name, V1DeleteOptions? options = null, string namespaceName = Namespace) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync(IpPool.Group, IpPool.Version, namespaceName, IpPool.Plural, name, options, cancellationToken: Token);

    /// <summary>Runs a call that must fail and returns the HTTP status and the Status body kube-apiserver would send.</summary>
    public static async Task<(HttpStatusCode Code, JsonObject Body)> FailureAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        var body = JsonNode.Parse(error.Response.Content) as JsonObject ?? throw new InvalidOperationException("The error body is not a JSON object.");
        return (error.Response.StatusCode, body);
    }

    /// <summary>Sends a raw request and returns status, body text and response.</summary>
    public static async Task<(HttpStatusCode Code, string Body, HttpResponseMessage Response)> SendAsync(
        this HttpClient http, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        var response = await http.SendAsync(request, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token), response);
    }

    /// <summary>The JSON of a Status as kube-apiserver serializes it, for exact comparisons.</summary>
    public static string Compact(JsonNode node) => node.ToJsonString(CompactOptions);

    public static string PoolPath(string name = "", string namespaceName = Namespace) =>
        $"apis/{IpPool.Group}/{IpPool.Version}/namespaces/{namespaceName}/{IpPool.Plural}" + (name.Length > 0 ? "/" + name : "");
}
