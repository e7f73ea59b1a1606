using System.Globalization;
using Whereabouts.Testing.KubeApi.Resources;

namespace Whereabouts.Testing.KubeApi.Status;

/// <summary>
/// The errors kube-apiserver returns, built the way k8s.io/apimachinery/pkg/api/errors builds them
/// (same codes, reasons, messages and details).
/// </summary>
internal static class ApiErrors
{
    /// <summary>The message of every optimistic-concurrency conflict (storage.OptimisticLockErrorMsg).</summary>
    public const string OptimisticLockMessage =
        "the object has been modified; please apply your changes to the latest version and try again";

    public static KubeStatusException NotFound(ResourceDefinition resource, string name) =>
        NotFound(resource.Group, resource.Plural, name);

    public static KubeStatusException NotFound(string group, string resource, string name) =>
        new(new ApiStatus(404, "NotFound", $"{Qualified(resource, group)} {FieldError.GoQuote(name)} not found",
            new StatusDetails(Name: name, Group: group, Kind: resource)));

    public static KubeStatusException AlreadyExists(ResourceDefinition resource, string name) =>
        new(new ApiStatus(409, "AlreadyExists", $"{resource.QualifiedResource} {FieldError.GoQuote(name)} already exists",
            new StatusDetails(Name: name, Group: resource.Group, Kind: resource.Plural)));

    public static KubeStatusException Conflict(ResourceDefinition resource, string name, string reason) =>
        Conflict(resource.Group, resource.Plural, name, reason);

    /// <summary>A conflict on a group/resource pair; delete preconditions name the kind here, as kube-apiserver does.</summary>
    public static KubeStatusException Conflict(string group, string resource, string name, string reason) =>
        new(new ApiStatus(409, "Conflict",
            $"Operation cannot be fulfilled on {Qualified(resource, group)} {FieldError.GoQuote(name)}: {reason}",
            new StatusDetails(Name: name, Group: group, Kind: resource)));

    public static KubeStatusException OptimisticLock(ResourceDefinition resource, string name) =>
        Conflict(resource, name, OptimisticLockMessage);

    public static KubeStatusException Invalid(ResourceDefinition resource, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(resource.Group, resource.Kind, name, errors);

    /// <summary>errors.NewInvalid: one cause per field error, the message aggregating them.</summary>
    public static KubeStatusException Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = errors.Select(e => new StatusCause(e.Reason, e.Body, e.Field)).ToList();
        var messages = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        var aggregate = messages.Count == 1 ? messages[0] : $"[{string.Join(", ", messages)}]";
        var message = $"{Qualified(kind, group)} {FieldError.GoQuote(name)} is invalid: {aggregate}";
        return new(new ApiStatus(422, "Invalid", message, new StatusDetails(Name: name, Group: group, Kind: kind, Causes: causes)));
    }

    /// <summary>
    /// What a JSON patch that cannot be applied returns (including a failed <c>test</c> op): the
    /// apiserver wraps the patch library's error in NewGenericServerResponse(422), which keeps only
    /// the generic message and an empty details object.
    /// </summary>
    public static KubeStatusException PatchNotApplicable() =>
        new(new ApiStatus(422, "Invalid", "the server rejected our request due to an error in our request", new StatusDetails()));

    public static KubeStatusException BadRequest(string message) => new(new ApiStatus(400, "BadRequest", message));

    public static KubeStatusException Forbidden(string group, string resource, string name, string reason)
    {
        var qualified = Qualified(resource, group);
        var message = resource.Length == 0
            ? $"forbidden: {reason}"
            : name.Length == 0 ? $"{qualified} is forbidden: {reason}" : $"{qualified} {FieldError.GoQuote(name)} is forbidden: {reason}";
        return new(new ApiStatus(403, "Forbidden", message, new StatusDetails(Name: name, Group: group, Kind: resource)));
    }

    public static KubeStatusException Unauthorized() => new(new ApiStatus(401, "Unauthorized", "Unauthorized"));

    public static KubeStatusException MethodNotAllowed() =>
        new(new ApiStatus(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new StatusDetails()));

    public static KubeStatusException ResourceNotFound() =>
        new(new ApiStatus(404, "NotFound", "the server could not find the requested resource", new StatusDetails()));

    public static KubeStatusException Expired(string message, string? continueToken = null) =>
        new(new ApiStatus(410, "Expired", message, Continue: continueToken));

    public static KubeStatusException RequestEntityTooLarge(string message) =>
        new(new ApiStatus(413, "RequestEntityTooLarge", $"Request entity too large: {message}"));

    public static KubeStatusException UnsupportedMediaType(IEnumerable<string> accepted) =>
        new(new ApiStatus(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}"));

    public static KubeStatusException TooManyRequests(string message, int retryAfterSeconds) =>
        new(new ApiStatus(429, "TooManyRequests", message, new StatusDetails(RetryAfterSeconds: retryAfterSeconds)));

    public static KubeStatusException InternalError(string cause) =>
        new(new ApiStatus(500, "InternalError", $"Internal error occurred: {cause}",
            new StatusDetails(Causes: [new StatusCause(null, cause, null)])));

    /// <summary>
    /// An error kube-apiserver did not turn into a metav1.Status (e.g. from etcd): ErrorToAPIStatus
    /// answers 500 with the raw message and no reason.
    /// </summary>
    public static KubeStatusException Unclassified(string message) => new(new ApiStatus(500, null, message));

    public static KubeStatusException ServiceUnavailable(string message) =>
        new(new ApiStatus(503, "ServiceUnavailable", message));

    public static KubeStatusException TooLargeResourceVersion(long requested, long current) =>
        new(new ApiStatus(504, "Timeout",
            string.Create(CultureInfo.InvariantCulture, $"Timeout: Too large resource version: {requested}, current: {current}"),
            new StatusDetails(Causes: [new StatusCause("ResourceVersionTooLarge", "Too large resource version", null)], RetryAfterSeconds: 1)));

    /// <summary>The 422 ValidateListOptions returns for an invalid combination of list parameters.</summary>
    public static KubeStatusException InvalidListOptions(FieldError error) =>
        Invalid("meta.k8s.io", "ListOptions", "", [error]);

    /// <summary>The error for a status code chosen by fault injection, shaped as kube-apiserver sends that code.</summary>
    public static KubeStatusException ForInjectedCode(int code, ResourceDefinition? resource, string name, int retryAfterSeconds) => code switch
    {
        401 => Unauthorized(),
        404 when resource is not null => NotFound(resource, name),
        409 when resource is not null => OptimisticLock(resource, name),
        410 => Expired("The resourceVersion for the provided watch is too old."),
        422 => PatchNotApplicable(),
        429 => TooManyRequests("Too many requests, please try again later.", retryAfterSeconds),
        500 => InternalError("injected fault"),
        503 => ServiceUnavailable("the server is currently unable to handle the request"),
        504 => new(new ApiStatus(504, "Timeout", "Timeout: request did not complete within requested timeout - context deadline exceeded",
            new StatusDetails(RetryAfterSeconds: retryAfterSeconds))),
        _ => new(new ApiStatus(code, code >= 500 ? "InternalError" : "BadRequest", "injected fault")),
    };

    private static string Qualified(string resource, string group) => group.Length == 0 ? resource : $"{resource}.{group}";
}
