using Whereabouts.Cni;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Plugin;

/// <summary>Turns the protocol-level request into what the allocation service needs: owner, requested addresses, gateways.</summary>
internal static class RequestParser
{
    public static AllocationOwner Owner(CniRequest request, IpamConfig config)
    {
        var name = request.Args.K8sPodName ?? string.Empty;
        if (name.Length == 0 && config.Datastore == DatastoreKind.Kubernetes)
        {
            // The reconciler decides liveness by pod; an allocation without one could never be reclaimed safely.
            throw new CniException(CniErrorCodes.InvalidEnvironment,
                "CNI_ARGS has no K8S_POD_NAME: the Kubernetes datastore records which pod owns each address");
        }

        var podRef = name.Length == 0 ? string.Empty : $"{request.Args.K8sPodNamespace}/{name}";
        return new AllocationOwner(request.ContainerId, podRef, request.IfName);
    }

    /// <summary>
    /// Specific addresses asked for. The <c>ips</c> capability and <c>args.cni.ips</c> take precedence over CNI_ARGS
    /// <c>IP=</c>, as the CNI conventions require when a runtime passes both.
    /// </summary>
    public static IReadOnlyList<Ip> RequestedAddresses(CniRequest request)
    {
        if (request.RuntimeConfigIps.Count > 0)
        {
            return Parse(request.RuntimeConfigIps, "runtimeConfig.ips", CniErrorCodes.InvalidNetworkConfig);
        }

        if (request.ArgsCniIps.Count > 0)
        {
            return Parse(request.ArgsCniIps, "args.cni.ips", CniErrorCodes.InvalidNetworkConfig);
        }

        return Parse(request.Args.Ip, "CNI_ARGS IP", CniErrorCodes.InvalidEnvironment);
    }

    public static IReadOnlyList<Ip> GatewayOverrides(CniRequest request) =>
        Parse(request.Args.Gateway, "CNI_ARGS GATEWAY", CniErrorCodes.InvalidEnvironment);

    public static IReadOnlyList<Ip> PrevResultAddresses(CniRequest request) =>
        request.PrevResult?.Ips.Select(static i => Ip.FromIPAddress(i.Address)).ToList() ?? [];

    private static List<Ip> Parse(IReadOnlyList<string> values, string source, int code)
    {
        var result = new List<Ip>(values.Count);
        foreach (var value in values)
        {
            var slash = value.IndexOf('/', StringComparison.Ordinal);
            var text = slash >= 0 ? value[..slash] : value;
            if (!Ip.TryParse(text.Trim(), out var ip))
            {
                throw new CniException(code, $"{source}: '{value}' is not an IP address");
            }

            result.Add(ip);
        }

        return result;
    }
}
