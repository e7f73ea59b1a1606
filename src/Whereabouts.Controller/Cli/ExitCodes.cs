using Whereabouts.Controller.InstallCni;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Controller.Cli;

/// <summary>
/// Every exit code of <c>whereabouts-controller</c>, and the one place that turns an exception into one. Kubernetes
/// shows the code in the pod status, so each failure class gets its own.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and failed (I/O error, unreadable input, API failure).</summary>
    public const int Failure = 1;

    /// <summary><c>ipam check</c> found problems, or <c>ipam release</c> refused (a live holder, an address nobody holds).</summary>
    public const int Problems = 1;

    /// <summary>Bad command line: unknown flag, missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>No service-account token or no <c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c>: not running in a pod.</summary>
    public const int NotInCluster = 3;

    /// <summary>
    /// The Kubernetes API server could not be reached, timed out or failed (5xx, 429), so the command could not finish
    /// (for <c>reconcile</c>: a list failed and nothing was decided). Retrying later may succeed.
    /// </summary>
    public const int ApiUnavailable = 4;

    /// <summary>The API server refused the credentials, or RBAC forbids a request the command needs.</summary>
    public const int AccessDenied = 5;

    /// <summary>install-cni: the installed plugin does not run on this node (it fails or cannot be executed for VERSION).</summary>
    public const int PluginUnusable = 6;

    /// <summary>
    /// An <c>ipam</c> subcommand failed for a reason that has no code of its own (what other commands exit 1 for), so
    /// that 1 keeps meaning "problems found" to scripts.
    /// </summary>
    public const int IpamFailure = 7;

    /// <summary>SIGTERM or SIGINT stopped a one-shot command before it finished (128 + SIGTERM, as a shell reports it).</summary>
    public const int Terminated = 143;

    /// <summary>The exit code for an exception that escaped a command, and the one line to print for it.</summary>
    public static (int Code, string Message) For(Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            CommandLineException cli => (cli.ExitCode, cli.Message),
            NotInClusterException notInCluster => (NotInCluster, notInCluster.Message),
            PluginUnusableException unusable => (PluginUnusable, unusable.Message),
            StoreAccessDeniedException denied => (AccessDenied, denied.Message),
            StoreUnavailableException unavailable => (ApiUnavailable, unavailable.Message),
            StoreDataException data => (Failure, data.Message),
            OperationCanceledException when cancellationToken.IsCancellationRequested => (Terminated, "stopped by a signal before finishing"),
            IOException or UnauthorizedAccessException or FormatException => (Failure, exception.Message),
            _ => (Failure, $"{exception.GetType().Name}: {exception.Message}"),
        };
    }

    /// <summary>
    /// True for an exception that no exit code maps: a bug rather than a condition of the node or the cluster, so its
    /// stack trace is worth printing after the line.
    /// </summary>
    public static bool IsUnexpected(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        CommandLineException or NotInClusterException or PluginUnusableException or IpamException => false,
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        IOException or UnauthorizedAccessException or FormatException => false,
        _ => true,
    };
}
