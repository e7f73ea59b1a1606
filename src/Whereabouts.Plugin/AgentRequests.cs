using System.Text;
using Whereabouts.Agent.Protocol;
using Whereabouts.Cni;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;

namespace Whereabouts.Plugin;

/// <summary>
/// A CNI call as the node agent receives it, parsed and validated here with the same parsers as direct mode, so that bad
/// input fails with the same code before anything is sent; and the agent's answer turned back into a result.
/// </summary>
internal static class AgentRequests
{
    public static AgentRequest For(string verb, CniRequest request, IpamConfig config, FlatFileCapture flatFile)
    {
        // Checked in the order direct mode checks them, so the same bad input gives the same error.
        string[] gateways = [];
        if (verb == AgentVerb.Add)
        {
            ResultBuilder.CheckFamilyLimits(config, request.CniVersion);
            gateways = Strings(RequestParser.GatewayOverrides(request));
        }

        var podRef = verb is AgentVerb.Add or AgentVerb.Check ? RequestParser.Owner(request, config).PodRef : string.Empty;
        return new AgentRequest
        {
            Verb = verb,
            ContainerId = request.ContainerId,
            IfName = request.IfName,
            PodRef = podRef,
            NetworkConfig = Encoding.UTF8.GetString(request.Config.Span),
            FlatFilePath = config.FlatFilePath,
            FlatFile = config.FlatFilePath is { } path ? flatFile.ContentOf(path) : null,
            RequestedIps = verb == AgentVerb.Add ? Strings(RequestParser.RequestedAddresses(request)) : [],
            Gateways = gateways,
            PrevResultIps = verb == AgentVerb.Check ? Strings(RequestParser.PrevResultAddresses(request)) : [],
            ValidAttachments = verb == AgentVerb.Gc
                ? [.. request.ValidAttachments.Select(static a => new AgentAttachment(a.ContainerId, a.IfName))]
                : [],
        };
    }

    /// <summary>The agent's error as this plugin's error, unchanged; else the answer itself.</summary>
    public static AgentAnswer Unwrap(AgentAnswer answer) =>
        answer.Error is { } error ? throw new CniException(new CniError(error.Code, error.Msg, error.Details)) : answer;

    public static List<AllocatedAddress> Addresses(IpamConfig config, AgentAnswer answer) =>
        [.. answer.Addresses.Select(a => new AllocatedAddress(
            a.Range >= 0 && a.Range < config.Ranges.Count
                ? config.Ranges[a.Range]
                : throw new CniException(CniErrorCodes.Internal, $"the node agent allocated from range {a.Range}, which the configuration does not have"),
            Ip.Parse(a.Address),
            a.Gateway is null ? null : Ip.Parse(a.Gateway)))];

    private static string[] Strings(IReadOnlyList<Ip> ips) => [.. ips.Select(static ip => ip.ToString())];
}
