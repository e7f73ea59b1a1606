namespace Whereabouts.Controller.Kube;

/// <summary>
/// Which kubeconfig a command run from a workstation uses, in kubectl's order: <c>--kubeconfig</c>, then the first
/// file named by <c>$KUBECONFIG</c>, then <c>~/.kube/config</c> when it exists; null means the pod's service account.
/// Merging several files of <c>$KUBECONFIG</c> as kubectl does is not supported: the first one is used alone.
/// </summary>
internal static class KubeconfigResolution
{
    public const string KubeconfigVariable = "KUBECONFIG";

    /// <summary>The kubeconfig to use, or null for the in-cluster service account.</summary>
    /// <param name="flag"><c>--kubeconfig</c>, null when not given.</param>
    /// <param name="getEnvironmentVariable">The process environment (<c>KUBECONFIG</c>, <c>HOME</c>).</param>
    /// <param name="fileExists">Whether a file exists; only <c>~/.kube/config</c> is probed, named files must exist.</param>
    public static string? Resolve(string? flag, Func<string, string?> getEnvironmentVariable, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        ArgumentNullException.ThrowIfNull(fileExists);
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return flag.Trim();
        }

        var fromVariable = (getEnvironmentVariable(KubeconfigVariable) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault();
        if (fromVariable is not null)
        {
            return fromVariable;
        }

        if (getEnvironmentVariable("HOME") is { Length: > 0 } home)
        {
            var path = Path.Join(home, ".kube", "config");
            if (fileExists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary><see cref="Resolve(string?, Func{string, string?}, Func{string, bool})"/> against the file system.</summary>
    public static string? Resolve(string? flag, Func<string, string?> getEnvironmentVariable) =>
        Resolve(flag, getEnvironmentVariable, File.Exists);
}
