using Whereabouts.Testing.KubeApi.Resources;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>What a request path names: a discovery document, a resource (collection or object), or nothing served.</summary>
internal sealed record ApiRoute
{
    public required ApiRouteKind Kind { get; init; }

    public string Group { get; init; } = "";

    public string Version { get; init; } = "";

    public ResourceDefinition? Resource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? Subresource { get; init; }

    /// <summary>The deprecated /watch/ path prefix was used.</summary>
    public bool LegacyWatch { get; init; }
}
