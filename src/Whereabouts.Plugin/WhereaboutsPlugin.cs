using Whereabouts.Cni;
using Whereabouts.Core.Config;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Plugin.Logging;

namespace Whereabouts.Plugin;

/// <summary>The CNI verbs of whereabouts: read the configuration, open the datastore, ask the allocation service.</summary>
internal sealed class WhereaboutsPlugin(PluginLogger logger, IStoreFactory stores, IpamOptions options, TimeProvider time) : ICniPlugin
{
    public Task<CniResult> AddAsync(CniRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, forRelease: false, async (config, service) =>
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
        RunAsync(request, forRelease: true, async (config, service) =>
        {
            var released = await service.ReleaseAsync(config, request.ContainerId, request.IfName, cancellationToken);
            PluginLog.Released(logger, "DEL", request.ContainerId, request.IfName, released);
            return true;
        });

    public Task CheckAsync(CniRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, forRelease: false, async (config, service) =>
        {
            await service.VerifyAsync(config, RequestParser.Owner(request, config), RequestParser.PrevResultAddresses(request), cancellationToken);
            return true;
        });

    public Task GcAsync(CniRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, forRelease: true, async (config, service) =>
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
            await RunAsync(request, forRelease: false, async (_, service) =>
            {
                await service.CheckStatusAsync(cancellationToken);
                return true;
            });
        }
        catch (Exception ex) when (ex is not CniException and not OperationCanceledException)
        {
            throw new CniException(ErrorMap.ForStatus(ex), ex);
        }
    }

    private async Task<T> RunAsync<T>(CniRequest request, bool forRelease, Func<IpamConfig, IpamService, Task<T>> verb)
    {
        var command = request.Command.ToString().ToUpperInvariant();
        try
        {
            var config = ReadConfig(request, forRelease);
            PluginLog.Invoked(logger, command, request.ContainerId, request.IfName, config.NetworkName, request.Args.K8sPodNamespace, request.Args.K8sPodName);
            await using var store = stores.Open(config);
            var service = new IpamService(store, logger, OptionsFor(config), time);
            return await verb(config, service);
        }
        catch (Exception ex)
        {
            PluginLog.Failed(logger, command, request.ContainerId, request.IfName, ex.Message);
            throw;
        }
    }

    /// <summary>On the Kubernetes datastore a collision costs round trips: spread out after two (see <see cref="IpamOptions.SpreadAfterCollisions"/>).</summary>
    private IpamOptions OptionsFor(IpamConfig config) =>
        config.Datastore == DatastoreKind.Kubernetes ? options with { SpreadAfterCollisions = 2 } : options;

    private IpamConfig ReadConfig(CniRequest request, bool forRelease)
    {
        var result = IpamConfigReader.Read(request.Config, new IpamConfigReadOptions
        {
            FlatFiles = FlatFileSystem.Lookup,
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
