using Whereabouts.Testing.KubeApi.Resources;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>Maps request paths to routes the way kube-apiserver's RequestInfo resolver reads them.</summary>
internal static class ApiRouter
{
    public static ApiRoute Route(string path, ResourceCatalog catalog)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 1 && segments[0] is "version" or "healthz" or "livez" or "readyz")
        {
            return new ApiRoute { Kind = ApiRouteKind.Info };
        }

        if (segments.Length == 0 || segments[0] is not ("api" or "apis"))
        {
            return new ApiRoute { Kind = ApiRouteKind.Unknown };
        }

        string group, version;
        string[] rest;
        if (segments[0] == "api")
        {
            if (segments.Length == 1)
            {
                return new ApiRoute { Kind = ApiRouteKind.CoreVersions };
            }

            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else
        {
            switch (segments.Length)
            {
                case 1:
                    return new ApiRoute { Kind = ApiRouteKind.Groups };
                case 2:
                    return catalog.ServesGroup(segments[1])
                        ? new ApiRoute { Kind = ApiRouteKind.Group, Group = segments[1] }
                        : new ApiRoute { Kind = ApiRouteKind.Unknown };
            }

            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }

        if (!catalog.All.Any(r => r.Group == group && r.Version == version))
        {
            return new ApiRoute { Kind = ApiRouteKind.Unknown };
        }

        if (rest.Length == 0)
        {
            return new ApiRoute { Kind = ApiRouteKind.ResourceList, Group = group, Version = version };
        }

        var legacyWatch = rest[0] == "watch";
        if (legacyWatch)
        {
            rest = rest[1..];
        }

        return ResourceRoute(catalog, group, version, rest, legacyWatch);
    }

    private static ApiRoute ResourceRoute(ResourceCatalog catalog, string group, string version, string[] rest, bool legacyWatch)
    {
        var unknown = new ApiRoute { Kind = ApiRouteKind.UnknownResource, Group = group, Version = version };
        string? namespaceName = null;
        var namespacedPath = rest.Length >= 3 && rest[0] == "namespaces"
            && !(group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize");
        if (namespacedPath)
        {
            namespaceName = rest[1];
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3)
        {
            return unknown;
        }

        var resource = catalog.Find(group, version, rest[0]);
        if (resource is null || (resource.Namespaced is false && namespaceName is not null))
        {
            return unknown;
        }

        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        if ((resource.Namespaced && namespaceName is null && name is not null) || (subresource is not null && !(resource.IsPods && subresource == "status")))
        {
            return unknown;
        }

        return new ApiRoute
        {
            Kind = ApiRouteKind.Resource,
            Group = group,
            Version = version,
            Resource = resource,
            Namespace = namespaceName,
            Name = name,
            Subresource = subresource,
            LegacyWatch = legacyWatch,
        };
    }
}
