using System.Text;
using Whereabouts.Controller.Kube;
using Whereabouts.Core.Config;

namespace Whereabouts.Controller.NodeController;

/// <summary>
/// Reads a NetworkAttachmentDefinition's <c>spec.config</c> as the plugin does (a single plugin or a conflist, the
/// inline <c>ipam</c> merged with the node's flat file), so that <c>network_name</c> and the ranges, and with them the
/// pool names, are the ones the plugin used. The flat file is found through the mount of the host's CNI configuration
/// directory: a path the plugin would search on the host is read at the same place below <c>--cni-conf-dir</c>.
/// </summary>
internal sealed class NetworkConfigResolver
{
    private readonly ClusterApi _cluster;
    private readonly Func<string, FlatFileLookup>? _flatFiles;

    /// <param name="cniConfDir">The host's CNI configuration directory as mounted here; null reads no flat file.</param>
    /// <param name="hostCniConfDir">The same directory as the host sees it.</param>
    public NetworkConfigResolver(ClusterApi cluster, string? cniConfDir, string hostCniConfDir)
    {
        _cluster = cluster;
        _flatFiles = cniConfDir is null ? null : path => Lookup(MapToMount(path, cniConfDir, hostCniConfDir));
    }

    public async Task<ResolvedNetwork> ResolveAsync(NetworkRef network, CancellationToken cancellationToken)
    {
        var text = await _cluster.GetNetworkConfigAsync(network.Namespace, network.Name, cancellationToken);
        if (text is null)
        {
            return new ResolvedNetwork(network, null, $"NetworkAttachmentDefinition {network} does not exist");
        }

        if (text.Length == 0)
        {
            return new ResolvedNetwork(network, null, null);
        }

        var result = IpamConfigReader.Read(
            Encoding.UTF8.GetBytes(text),
            new IpamConfigReadOptions { RequireDatastore = false, ForRelease = true, FlatFiles = _flatFiles });
        if (result.NotWhereabouts)
        {
            return new ResolvedNetwork(network, null, null);
        }

        return result.Config is { } config
            ? new ResolvedNetwork(network, config, null)
            : new ResolvedNetwork(network, null, $"the configuration of NetworkAttachmentDefinition {network} cannot be read: {result.ErrorSummary}");
    }

    /// <summary>Where a host path the plugin would read is visible here; null when it is outside the mount.</summary>
    internal static string? MapToMount(string hostPath, string cniConfDir, string hostCniConfDir)
    {
        var mount = Path.TrimEndingDirectorySeparator(Path.GetFullPath(cniConfDir));
        var host = Path.TrimEndingDirectorySeparator(hostCniConfDir);
        var full = Path.GetFullPath(hostPath);
        if (full.StartsWith(mount + "/", StringComparison.Ordinal))
        {
            return full;
        }

        return full.StartsWith(host + "/", StringComparison.Ordinal) ? mount + full[host.Length..] : null;
    }

    private static FlatFileLookup Lookup(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return FlatFileLookup.NotFound;
        }

        try
        {
            return FlatFileLookup.Found(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FlatFileLookup.Failed(ex.Message);
        }
    }
}
