using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>
/// The opaque <c>continue</c> token, in kube-apiserver's own format: unpadded base64url of
/// <c>{"v":"meta.k8s.io/v1","rv":R,"start":"&lt;key&gt;\u0000"}</c>, where the key is relative to the list's prefix.
/// A revision of -1 means "continue from the latest state" (after the original one expired).
/// </summary>
internal static class ContinueToken
{
    private const string Version = "meta.k8s.io/v1";

    public static string Encode(string startKey, long revision)
    {
        var json = new JsonObject { ["v"] = Version, ["rv"] = revision, ["start"] = startKey }.ToJsonString();
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
    }

    public static (string StartKey, long Revision) Decode(string token)
    {
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(Base64Url.DecodeFromChars(token)) as JsonObject;
        }
        catch (FormatException e)
        {
            throw Invalid(e.Message);
        }
        catch (JsonException e)
        {
            throw Invalid(e.Message);
        }

        if ((string?)body?["v"] != Version)
        {
            throw Invalid("server does not recognize this encoded version");
        }

        var start = (string?)body["start"];
        if (string.IsNullOrEmpty(start))
        {
            throw Invalid("encoded start key empty (version meta.k8s.io/v1)");
        }

        var revision = body["rv"] is JsonValue value && value.TryGetValue<long>(out var rv) ? rv : 0;
        if (revision == 0)
        {
            throw Invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }

        return (start, revision);
    }

    private static KubeStatusException Invalid(string detail) =>
        ApiErrors.BadRequest($"invalid continue token: continue key is not valid: {detail}");
}
