using Whereabouts.Agent;
using Whereabouts.Agent.Protocol;
using Whereabouts.Cni;
using Whereabouts.Core.Config;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Plugin.Logging;

namespace Whereabouts.Plugin;

/// <summary>
/// The CNI verbs of whereabouts: read the configuration, then ask the node agent when the configuration names one
/// (<c>agent_socket</c>), else (or when it does not answer) open the datastore and ask the allocation service here.
/// </summary>
internal sealed class WhereaboutsPlugin(PluginLogger logger, IStoreFactory stores, IpamOptions options, TimeProvider time) : ICniPlugin
{
    public Task<CniResult> AddAsync(CniRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, AgentVerb.Add, (config, answer) =>
        {
            var addresses = AgentRequests.Addresses(config, answer);
            PluginLog.Allocated(logger, request.ContainerId, request.IfName, addresses);
            return ResultBuilder.Build(config, addresses, RequestParser.GatewayOverrides(request));
        },
        async (config, service) =>
        {
            ResultBuilder.CheckFamilyLimits(config, request.CniVersion);
            var gateways = RequestParser.GatewayOverrides(request);
            var allocation = new AllocationRequest(config, RequestParser.Owner(request, config))
            {
                RequestedAddresses = RequestParser.RequestedAddresses(request),
                GatewayOverrides = gateways,
            };
            var addresses = await service.AllocateAsync(allocation, cancellationToken);
            PluginLog.Allocated(logger, request.ContainerId, request.IfName, addresses);
            return ResultBuilder.Build(config, addresses, gateways);
        });

    public Task DelAsync(CniRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, AgentVerb.Del, (_, answer) =>
        {
            PluginLog.Released(logger, "DEL", request.ContainerId, request.IfName, answer.Released);
            return true;
        },
        async (config, service) =>
        {
            var released = await service.ReleaseAsync(config, request.ContainerId, request.IfName, cancellationToken);
            PluginLog.Released(logger, "DEL", request.ContainerId, request.IfName, released);
            return true;
        });

    public Task CheckAsync(CniRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, AgentVerb.Check, static (_, _) => true, async (config, service) =>
        {
            await service.VerifyAsync(config, RequestParser.Owner(request, config), RequestParser.PrevResultAddresses(request), cancellationToken);
            return true;
        });

    public Task GcAsync(CniRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, AgentVerb.Gc, (_, answer) =>
        {
            PluginLog.Released(logger, "GC", "-", "-", answer.Released);
            return true;
        },
        async (config, service) =>
        {
            var valid = request.ValidAttachments.Select(static a => (a.ContainerId, a.IfName)).ToHashSet();
            var released = await service.CollectGarbageAsync(config, valid, cancellationToken);
            PluginLog.Released(logger, "GC", "-", "-", released);
            return true;
        });

    public async Task StatusAsync(CniRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(request, AgentVerb.Status, static (_, _) => true, async (_, service) =>
            {
                await service.CheckStatusAsync(cancellationToken);
                return true;
            });
        }
        catch (Exception ex) when (ex is not CniException and not OperationCanceledException)
        {
            throw new CniException(CniErrorMap.ForStatus(ex), ex);
        }
    }

    private async Task<T> RunAsync<T>(
        CniRequest request, string verb, Func<IpamConfig, AgentAnswer, T> fromAgent, Func<IpamConfig, IpamService, Task<T>> direct)
    {
        var command = request.Command.ToString().ToUpperInvariant();
        try
        {
            var flatFile = new FlatFileCapture();
            var config = ReadConfig(request, AgentVerb.IsRelease(verb), flatFile);
            PluginLog.Invoked(logger, command, request.ContainerId, request.IfName, config.NetworkName, request.Args.K8sPodNamespace, request.Args.K8sPodName);
            if (config.AgentSocket is { } socket && config.Datastore == DatastoreKind.Kubernetes)
            {
                if (AskAgent(socket, AgentRequests.For(verb, request, config, flatFile), config) is { } answer)
                {
                    PluginLog.AgentServed(logger, command, socket);
                    return fromAgent(config, AgentRequests.Unwrap(answer));
                }
            }

            await using var store = stores.Open(config);
            var service = new IpamService(store, logger, OptionsFor(config), time);
            return await direct(config, service);
        }
        catch (Exception ex)
        {
            PluginLog.Failed(logger, command, request.ContainerId, request.IfName, ex.Message);
            throw;
        }
    }

    /// <summary>
    /// The agent's answer, or null to serve the call here: the agent is absent, slow to accept, went away mid-request
    /// (every verb is idempotent per pod interface, so doing it again here is safe) or speaks another protocol version.
    /// </summary>
    private AgentAnswer? AskAgent(string socket, AgentRequest agentRequest, IpamConfig config)
    {
        var outcome = new AgentClient(socket).Send(agentRequest, AnswerTimeout(agentRequest.Verb));
        if (outcome.Answer is { } answer)
        {
            return answer;
        }

        if (config.Kubeconfig is null)
        {
            throw new StoreUnavailableException(
                $"the node agent at {socket} did not answer ({outcome.FallbackReason}), and no kubeconfig is configured to serve the call directly");
        }

        PluginLog.AgentFallback(logger, agentRequest.Verb, socket, outcome.FallbackReason!);
        return null;
    }

    /// <summary>The agent's own deadlines for the verb, and a little more for the answer to travel.</summary>
    private TimeSpan AnswerTimeout(string verb) => TimeSpan.FromSeconds(5) + verb switch
    {
        AgentVerb.Add => options.AddTimeout + options.RollbackTimeout,
        AgentVerb.Status => options.StatusTimeout,
        _ => options.DelTimeout,
    };

    /// <summary>On the Kubernetes datastore a collision costs round trips: spread out after two (see <see cref="IpamOptions.SpreadAfterCollisions"/>).</summary>
    private IpamOptions OptionsFor(IpamConfig config) =>
        config.Datastore == DatastoreKind.Kubernetes ? options with { SpreadAfterCollisions = 2 } : options;

    private IpamConfig ReadConfig(CniRequest request, bool forRelease, FlatFileCapture flatFile)
    {
        var result = IpamConfigReader.Read(request.Config, new IpamConfigReadOptions
        {
            FlatFiles = flatFile.Lookup,
            ForRelease = forRelease,
        });
        logger.Configure(result.Config?.LogLevel, result.Config?.LogFile);
        foreach (var issue in result.Issues)
        {
            switch (issue.Severity)
            {
                case ConfigSeverity.Debug:
                    PluginLog.ConfigNote(logger, issue.Key, issue.Message);
                    break;
                case ConfigSeverity.Warning:
                    PluginLog.ConfigWarning(logger, issue.Key, issue.Message);
                    break;
            }
        }

        if (result.Config is null)
        {
            var errors = result.Errors.ToList();
            var more = errors.Count > 1 ? $" (and {errors.Count - 1} more, see details)" : string.Empty;
            throw new InvalidIpamConfigException($"invalid IPAM configuration: {errors[0]}{more}", errors);
        }

        return result.Config;
    }
}
