using System.Text;
using Microsoft.Extensions.Logging;
using Whereabouts.Agent.Protocol;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Agent.Server;

/// <summary>
/// Serves plugin requests with the one allocation engine (<see cref="IpamService"/>) over the agent's long-lived store,
/// with the options and error codes of the plugin's direct mode, so an answer is the one the plugin would have written.
/// </summary>
/// <param name="store">The agent's store.</param>
/// <param name="logger">Where failures are logged.</param>
/// <param name="time">The clock for deadlines and backoff.</param>
/// <param name="nodeName">The agent's node: where in a shared range its ADDs start looking (<see cref="IpamOptions.SpreadKey"/>).</param>
public sealed partial class IpamRequestHandler(IIpamStore store, ILogger logger, TimeProvider time, string? nodeName = null) : IAgentHandler
{
    /// <summary>One container's requests one after another (<see cref="AttachmentOrder"/>).</summary>
    private readonly AttachmentOrder _order = new();

    /// <summary>
    /// One engine for every request of the process, as the plugin on the Kubernetes datastore (spread out after two
    /// lost races, see <see cref="IpamOptions.SpreadAfterCollisions"/>), each node from its own point of a contended
    /// shared range, and independent requests side by side over the agent's warm connections.
    /// </summary>
    private readonly IpamService _service = new(
        store, logger, IpamOptions.Default with { SpreadAfterCollisions = 2, SpreadKey = nodeName, OverlapRequests = true }, time);

    public async Task<AgentAnswer> HandleAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var config = ReadConfig(request);
            return AgentVerb.IsPerAttachment(request.Verb)
                ? await _order.RunAsync(request.ContainerId, () => ServeAsync(request, config, _service, cancellationToken), cancellationToken)
                : await ServeAsync(request, config, _service, cancellationToken);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var error = request.Verb == AgentVerb.Status ? CniErrorMap.ForStatus(ex) : CniErrorMap.Translate(ex);
            LogFailed(logger, request.Verb, request.ContainerId, request.IfName, error.Code, error.Message);
            return new AgentAnswer { Error = new AgentError(error.Code, error.Message, error.Details) };
        }
    }

    private static async Task<AgentAnswer> ServeAsync(AgentRequest request, IpamConfig config, IpamService service, CancellationToken cancellationToken)
    {
        var owner = new AllocationOwner(request.ContainerId, request.PodRef, request.IfName);
        switch (request.Verb)
        {
            case AgentVerb.Add:
                var allocation = new AllocationRequest(config, owner)
                {
                    RequestedAddresses = ParseAll(request.RequestedIps),
                    GatewayOverrides = ParseAll(request.Gateways),
                };
                var addresses = await service.AllocateAsync(allocation, cancellationToken);
                return new AgentAnswer
                {
                    // One address per configured range, in their order (in node-slice mode from the slice-narrowed range).
                    Addresses = [.. addresses.Select((a, range) => new AgentAddress(range, a.Address.ToString(), a.Gateway?.ToString()))],
                };
            case AgentVerb.Del:
                return new AgentAnswer { Released = await service.ReleaseAsync(config, request.ContainerId, request.IfName, cancellationToken) };
            case AgentVerb.Check:
                await service.VerifyAsync(config, owner, ParseAll(request.PrevResultIps), cancellationToken);
                return new AgentAnswer();
            case AgentVerb.Gc:
                var valid = request.ValidAttachments.Select(static a => (a.ContainerId, a.IfName)).ToHashSet();
                return new AgentAnswer { Released = await service.CollectGarbageAsync(config, valid, cancellationToken) };
            case AgentVerb.Status:
                await service.CheckStatusAsync(cancellationToken);
                return new AgentAnswer();
            default:
                throw new InvalidIpamConfigException($"the node agent does not serve the command '{request.Verb}'");
        }
    }

    /// <summary>The same reader over the same bytes the plugin read: the flat file as the plugin found it, nothing read here.</summary>
    private static IpamConfig ReadConfig(AgentRequest request)
    {
        var flat = request.FlatFile is { } content ? FlatFileLookup.Found(Encoding.UTF8.GetBytes(content)) : FlatFileLookup.NotFound;
        var result = IpamConfigReader.Read(Encoding.UTF8.GetBytes(request.NetworkConfig), new IpamConfigReadOptions
        {
            FlatFiles = path => path == request.FlatFilePath ? flat : FlatFileLookup.NotFound,
            ForRelease = AgentVerb.IsRelease(request.Verb),
            RequireDatastore = false,
        });
        if (result.Config is not { } config)
        {
            var errors = result.Errors.ToList();
            throw new InvalidIpamConfigException($"invalid IPAM configuration: {errors.FirstOrDefault()}", errors);
        }

        if (config.Datastore != DatastoreKind.Kubernetes)
        {
            throw new InvalidIpamConfigException("the node agent serves the Kubernetes datastore only");
        }

        return config;
    }

    private static List<Ip> ParseAll(IReadOnlyList<string> values) =>
        [.. values.Select(static v => Ip.TryParse(v, out var ip) ? ip : throw new InvalidIpamConfigException($"'{v}' is not an IP address"))];

    [LoggerMessage(EventId = 720, Level = LogLevel.Information, Message = "Node agent: {Verb} of container {ContainerId} interface {IfName} failed with CNI code {Code}: {Message}")]
    private static partial void LogFailed(ILogger logger, string verb, string containerId, string ifName, int code, string message);
}
