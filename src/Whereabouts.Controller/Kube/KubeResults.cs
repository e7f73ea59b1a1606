using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Kube;

/// <summary>Turns an answer the caller did not expect (404, 409 or 422 where success was needed) into an exception.</summary>
internal static class KubeResults
{
    /// <exception cref="StoreDataException">The answer is not a success or has no body.</exception>
    public static T Require<T>(KubeResult<T> result, KubeRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.IsSuccess)
        {
            throw new StoreDataException($"API server answered {(int)result.StatusCode} {result.StatusCode} to {request}: {result.Message}");
        }

        return result.Body ?? throw new StoreDataException($"API server answered {request} with an empty body");
    }
}
