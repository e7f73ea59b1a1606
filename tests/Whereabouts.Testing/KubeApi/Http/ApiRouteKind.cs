namespace Whereabouts.Testing.KubeApi.Http;

internal enum ApiRouteKind
{
    /// <summary>A path outside the API (answered with Go's plain "404 page not found").</summary>
    Unknown,

    /// <summary>/version, /healthz, /livez, /readyz.</summary>
    Info,

    /// <summary>/api.</summary>
    CoreVersions,

    /// <summary>/apis.</summary>
    Groups,

    /// <summary>/apis/{group}.</summary>
    Group,

    /// <summary>/api/v1 or /apis/{group}/{version}.</summary>
    ResourceList,

    /// <summary>A resource collection or object.</summary>
    Resource,

    /// <summary>A served group/version, but no resource (or subresource) of that name.</summary>
    UnknownResource,
}
