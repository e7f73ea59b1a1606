using System.Text;
using Microsoft.Extensions.Logging;

namespace Whereabouts.Controller.InstallCni;

/// <summary>
/// The DaemonSet's node setup (upstream's install-cni.sh and token-watcher.sh): writes <c>whereabouts.d/</c> (kubeconfig,
/// flat file, node name), then installs the plugin, so a plugin that appears on the node finds its configuration. Every
/// write is atomic and skipped when the content is already right, so running it again changes nothing. Last, the
/// installed plugin must answer VERSION here (<see cref="PluginProbe"/>), so a node where it cannot run fails the
/// init container loudly instead of reporting ready and failing every ADD.
/// </summary>
internal sealed partial class CniInstaller
{
    /// <summary>A temporary copy older than this was left by a killed run, not one in progress.</summary>
    private static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromMinutes(10);

    private readonly InstallCniOptions _options;
    private readonly Func<string, string?> _getEnvironmentVariable;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public CniInstaller(InstallCniOptions options, Func<string, string?> getEnvironmentVariable, TimeProvider time, ILogger logger)
    {
        _options = options;
        _getEnvironmentVariable = getEnvironmentVariable;
        _time = time;
        _logger = logger;
    }

    /// <summary>Installs once; with <see cref="InstallCniOptions.Watch"/>, then keeps the kubeconfig fresh until cancelled.</summary>
    /// <exception cref="NotInClusterException">No service-account token or API server address: nothing was written.</exception>
    /// <exception cref="PluginUnusableException">The installed plugin does not answer VERSION.</exception>
    public async Task RunAsync(TimeSpan? watchInterval, CancellationToken cancellationToken)
    {
        var refresher = await InstallAsync(cancellationToken);
        if (_options.Watch)
        {
            await refresher.RunAsync(watchInterval, cancellationToken);
        }
    }

    /// <summary>Writes every file once, checks the installed plugin runs, and returns the refresher that keeps the kubeconfig fresh.</summary>
    public async Task<KubeconfigRefresher> InstallAsync(CancellationToken cancellationToken)
    {
        var refresher = KubeconfigRefresher.ForCniConfDir(
            _options.CniConfDir, _options.ServiceAccountDir, _options.Namespace, _options.SkipTlsVerify, _getEnvironmentVariable, _time, _logger);

        // Everything that can fail for a reason outside this node is checked before the first write.
        ServiceAccountCredentials.Read(_options.ServiceAccountDir, _options.SkipTlsVerify);
        if (!File.Exists(_options.PluginSource))
        {
            throw new FileNotFoundException($"the plugin {_options.PluginSource} does not exist", _options.PluginSource);
        }

        var confDirectory = WhereaboutsPaths.ConfDirectory(_options.CniConfDir);
        if (AtomicFiles.EnsureDirectory(confDirectory))
        {
            LogCreatedDirectory(_logger, confDirectory);
        }

        refresher.Refresh();
        Write(WhereaboutsPaths.FlatFile(_options.CniConfDir), FlatFileDocument.Render(_options.HostCniConfDir, _options.AgentSocket));
        if (_options.Node is { } node)
        {
            Write(WhereaboutsPaths.NodeNameFile(_options.CniConfDir), Encoding.UTF8.GetBytes(node));
        }
        else
        {
            LogNoNodeName(_logger, WhereaboutsPaths.NodeNameFile(_options.CniConfDir));
        }

        var plugin = InstallPlugin();
        var versions = await PluginProbe.VersionAsync(plugin, PluginProbe.DefaultTimeout, cancellationToken);
        LogPluginRuns(_logger, plugin, versions);
        return refresher;
    }

    private void Write(string path, byte[] content)
    {
        if (AtomicFiles.WriteIfChanged(path, content, AtomicFiles.PrivateFile))
        {
            LogWritten(_logger, path);
        }
        else
        {
            LogUnchanged(_logger, path);
        }
    }

    private string InstallPlugin()
    {
        var destination = WhereaboutsPaths.Plugin(_options.CniBinDir);
        var removed = AtomicFiles.RemoveStaleTemporaries(destination, StaleTemporaryAge, _time.GetUtcNow());
        if (removed > 0)
        {
            LogRemovedTemporaries(_logger, removed, _options.CniBinDir);
        }

        if (AtomicFiles.CopyIfChanged(_options.PluginSource, destination, AtomicFiles.Executable))
        {
            LogInstalled(_logger, _options.PluginSource, destination);
        }
        else
        {
            LogUnchanged(_logger, destination);
        }

        return destination;
    }
}
