using System.Text;
using Microsoft.Extensions.Logging;

namespace Whereabouts.Controller.InstallCni;

/// <summary>
/// Keeps <c>whereabouts.d/whereabouts.kubeconfig</c> in step with this pod's service-account token and CA. Projected
/// service-account volumes rotate by swapping a <c>..data</c> symlink, which inotify on the files misses, so this polls:
/// each tick renders the kubeconfig from the current token and CA and replaces the file only if the text differs.
/// The plugin reads the kubeconfig on every call, so a rewrite takes effect at once.
/// </summary>
/// <remarks>
/// Used by <c>install-cni</c> (one <see cref="Refresh"/>, then <see cref="RunAsync"/> with <c>--watch</c>) and by
/// <c>run --cni-conf-dir</c> (<see cref="RunAsync"/> for the life of the controller).
/// </remarks>
internal sealed partial class KubeconfigRefresher
{
    /// <summary>How often the token and CA are checked; upstream's token-watcher also polls every second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly string _server;
    private readonly string _namespace;
    private readonly string _serviceAccountDir;
    private readonly bool _skipTlsVerify;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ServiceAccountCredentials? _last;
    private string? _lastFailure;

    /// <param name="kubeconfigPath">The file to keep fresh.</param>
    /// <param name="server">The API server URL (<see cref="ClusterEndpoint.ServerFromEnvironment"/>).</param>
    /// <param name="namespace">The context namespace written into the file.</param>
    /// <param name="serviceAccountDir">Where <c>token</c> and <c>ca.crt</c> are read from.</param>
    /// <param name="skipTlsVerify">Write <c>insecure-skip-tls-verify: true</c> instead of the CA (the CA is then not watched).</param>
    public KubeconfigRefresher(
        string kubeconfigPath,
        string server,
        string @namespace,
        string serviceAccountDir,
        bool skipTlsVerify,
        TimeProvider time,
        ILogger logger)
    {
        KubeconfigPath = kubeconfigPath;
        _server = server;
        _namespace = @namespace;
        _serviceAccountDir = serviceAccountDir;
        _skipTlsVerify = skipTlsVerify;
        _time = time;
        _logger = logger;
    }

    public string KubeconfigPath { get; }

    /// <summary>
    /// A refresher for <c>&lt;cniConfDir&gt;/whereabouts.d/whereabouts.kubeconfig</c> with the API server from the
    /// environment. A null <paramref name="skipTlsVerify"/> keeps the choice the existing file shows (install-cni made
    /// it), verifying TLS when there is no file yet.
    /// </summary>
    /// <exception cref="NotInClusterException">The API server's address is not in the environment.</exception>
    public static KubeconfigRefresher ForCniConfDir(
        string cniConfDir,
        string serviceAccountDir,
        string @namespace,
        bool? skipTlsVerify,
        Func<string, string?> getEnvironmentVariable,
        TimeProvider time,
        ILogger logger)
    {
        var path = WhereaboutsPaths.Kubeconfig(cniConfDir);
        var server = ClusterEndpoint.ServerFromEnvironment(getEnvironmentVariable);
        return new KubeconfigRefresher(path, server, @namespace, serviceAccountDir, skipTlsVerify ?? SkipsTlsVerify(path), time, logger);
    }

    /// <summary>Writes the kubeconfig for the current token and CA; true when the file changed.</summary>
    /// <exception cref="NotInClusterException">There is no token file.</exception>
    /// <exception cref="IOException">The token or CA cannot be read, or the file cannot be written.</exception>
    public bool Refresh()
    {
        var credentials = ServiceAccountCredentials.Read(_serviceAccountDir, _skipTlsVerify);
        var text = KubeconfigDocument.Render(_server, _namespace, credentials);
        AtomicFiles.EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(KubeconfigPath))!);
        var changed = AtomicFiles.WriteIfChanged(KubeconfigPath, Encoding.UTF8.GetBytes(text), AtomicFiles.PrivateFile);
        if (changed)
        {
            var reason = Reason(_last, credentials);
            LogWritten(_logger, KubeconfigPath, reason);
        }
        else
        {
            LogUnchanged(_logger, KubeconfigPath);
        }

        _last = credentials;
        return changed;
    }

    /// <summary>
    /// Refreshes every <paramref name="interval"/> (default <see cref="DefaultInterval"/>) until
    /// <paramref name="cancellationToken"/> is cancelled, then returns normally. A failed tick (a token file caught
    /// mid-rotation, a full disk) is logged once and retried on the next tick; the file keeps its last good content.
    /// </summary>
    public async Task RunAsync(TimeSpan? interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval ?? DefaultInterval, _time);
        LogWatching(_logger, KubeconfigPath, _serviceAccountDir);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Tick();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopped(_logger, KubeconfigPath);
        }
    }

    private void Tick()
    {
        try
        {
            Refresh();
            if (_lastFailure is not null)
            {
                LogRecovered(_logger, KubeconfigPath);
                _lastFailure = null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotInClusterException)
        {
            if (!string.Equals(ex.Message, _lastFailure, StringComparison.Ordinal))
            {
                LogRefreshFailed(_logger, KubeconfigPath, ex.Message);
                _lastFailure = ex.Message;
            }
        }
    }

    private static string Reason(ServiceAccountCredentials? before, ServiceAccountCredentials now) => before switch
    {
        null => "written",
        _ when !string.Equals(before.Token, now.Token, StringComparison.Ordinal)
            && !string.Equals(before.CertificateAuthorityData, now.CertificateAuthorityData, StringComparison.Ordinal) => "token and CA rotated",
        _ when !string.Equals(before.Token, now.Token, StringComparison.Ordinal) => "token rotated",
        _ when !string.Equals(before.CertificateAuthorityData, now.CertificateAuthorityData, StringComparison.Ordinal) => "CA rotated",
        _ => "restored",
    };

    private static bool SkipsTlsVerify(string path)
    {
        try
        {
            return File.ReadLines(path).Any(line => string.Equals(line, KubeconfigDocument.SkipTlsVerifyLine, StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }
}
