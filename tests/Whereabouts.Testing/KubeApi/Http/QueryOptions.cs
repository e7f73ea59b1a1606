using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whereabouts.Testing.KubeApi.Metadata;
using Whereabouts.Testing.KubeApi.Operations;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>Decodes list, watch and delete parameters from the query string (and DeleteOptions bodies).</summary>
internal static class QueryOptions
{
    public static bool IsWatch(HttpRequest request) => ParseBool(request.Query["watch"], "watch") ?? false;

    public static ListOptions List(HttpRequest request, ApiRoute route)
    {
        var resource = route.Resource!;
        var query = request.Query;
        var fieldSelector = (string?)query["fieldSelector"];
        if (route.LegacyWatch && route.Name is not null)
        {
            // /watch/.../name is the legacy spelling of a watch with metadata.name=name.
            fieldSelector = string.IsNullOrEmpty(fieldSelector) ? $"metadata.name={route.Name}" : $"{fieldSelector},metadata.name={route.Name}";
        }

        return new ListOptions
        {
            Labels = LabelSelector.Parse(query["labelSelector"]),
            Fields = FieldSelector.Parse(fieldSelector, resource),
            Limit = ParseLong(query["limit"], "limit") ?? 0,
            Continue = NullIfEmpty(query["continue"]),
            ResourceVersion = NullIfEmpty(query["resourceVersion"]),
            ResourceVersionMatch = NullIfEmpty(query["resourceVersionMatch"]),
            Watch = route.LegacyWatch || IsWatch(request),
            AllowWatchBookmarks = ParseBool(query["allowWatchBookmarks"], "allowWatchBookmarks") ?? false,
            SendInitialEvents = ParseBool(query["sendInitialEvents"], "sendInitialEvents"),
            Timeout = ParseLong(query["timeoutSeconds"], "timeoutSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
    }

    /// <summary>DeleteOptions come from a non-empty body, or else from the query (as in the delete handler).</summary>
    public static DeleteOptions Delete(HttpRequest request, byte[] body)
    {
        JsonObject? options = null;
        if (body.Length > 0)
        {
            try
            {
                options = JsonNode.Parse(body) as JsonObject;
            }
            catch (JsonException e)
            {
                throw ApiErrors.BadRequest($"couldn't get version/kind; json parse error: {e.Message}");
            }
        }

        if (options is null)
        {
            return new DeleteOptions(ParseLong(request.Query["gracePeriodSeconds"], "gracePeriodSeconds"));
        }

        var preconditions = options["preconditions"] as JsonObject;
        return new DeleteOptions(
            options["gracePeriodSeconds"] is JsonValue grace && grace.TryGetValue<long>(out var seconds) ? seconds : null,
            (string?)preconditions?["uid"],
            (string?)preconditions?["resourceVersion"]);
    }

    /// <summary>The fieldValidation directive of a write (Warn when absent, as in kube-apiserver).</summary>
    public static WriteOptions Write(HttpRequest request) => new((string?)request.Query["fieldValidation"] switch
    {
        null or "" or "Warn" => FieldValidation.Warn,
        "Ignore" => FieldValidation.Ignore,
        "Strict" => FieldValidation.Strict,
        var other => throw ApiErrors.BadRequest($"fieldValidation must be one of Ignore, Warn or Strict, got {FieldError.GoQuote(other)}"),
    });

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool? ParseBool(string? value, string name) => value switch
    {
        null or "" => null,
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw ApiErrors.BadRequest($"strconv.ParseBool: parsing {FieldError.GoQuote(value)}: invalid syntax for {name}"),
    };

    private static long? ParseLong(string? value, string name) =>
        string.IsNullOrEmpty(value) ? null
        : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number
        : throw ApiErrors.BadRequest($"strconv.ParseInt: parsing {FieldError.GoQuote(value)}: invalid syntax for {name}");
}
