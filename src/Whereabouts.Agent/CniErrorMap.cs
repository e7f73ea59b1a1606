using Whereabouts.Cni;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Agent;

/// <summary>
/// The one place where failures of the allocation service become CNI error codes, used by the plugin in direct mode
/// and by the agent, so that both modes answer with the same codes. Protocol errors (1, 4, 6, 7 for the network name)
/// are raised by the dispatcher itself.
/// </summary>
public static class CniErrorMap
{
    public static CniError Translate(Exception exception) => exception switch
    {
        CniException cni => cni.Error,
        InvalidIpamConfigException config => new CniError(
            CniErrorCodes.InvalidNetworkConfig,
            config.Message,
            config.Errors.Count <= 1 ? null : string.Join("; ", config.Errors)),
        StoreUnavailableException or NodeSliceUnavailableException or OperationCanceledException =>
            new CniError(CniErrorCodes.TryAgainLater, exception.Message),
        ReleaseFailedException release => new CniError(
            release.IsTransient ? CniErrorCodes.TryAgainLater : CniErrorCodes.Internal, release.Message),
        IpamException => new CniError(CniErrorCodes.Internal, exception.Message),
        _ => new CniError(CniErrorCodes.Internal, $"internal error: {exception.GetType().Name}: {exception.Message}"),
    };

    /// <summary>STATUS reports an unusable datastore as "plugin not available" (50) rather than "try again" (11).</summary>
    public static CniError ForStatus(Exception exception) => exception switch
    {
        InvalidIpamConfigException config => Translate(config),
        _ => new CniError(CniErrorCodes.PluginNotAvailable, $"datastore not available: {exception.Message}"),
    };
}
