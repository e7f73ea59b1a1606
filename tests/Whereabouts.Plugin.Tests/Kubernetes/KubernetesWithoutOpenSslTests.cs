using System.Text.RegularExpressions;
using Whereabouts.Cni;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>
/// The published plugin on a node without OpenSSL: every libssl the dynamic linker knows is hidden behind /dev/null in
/// a mount namespace of the plugin's own, so the runtime's loader finds none. The runtime would abort the process
/// ("No usable version of libssl was found", SIGABRT); the plugin must answer with a CNI error instead.
/// </summary>
public sealed partial class KubernetesWithoutOpenSslTests
{
    [Fact]
    public async Task Add_NoLibssl_OneLineCniErrorNamingOpenSsl_NotACrash_NothingWritten()
    {
        Root.Require();
        await using var cluster = await KubeCluster.StartAsync(ClusterMode.Direct);
        var hidden = await LibsslFilesAsync();
        Assert.NotEmpty(hidden);
        var call = new CniCall("ADD", "c1") { Args = CniCall.PodArgs("pod-1") };
        var env = call.Environment();
        env["NODENAME"] = "node-a";

        // unshare makes the mount namespace; the bind mounts vanish with the plugin's process.
        const string Script = """plugin=$1; shift; for f in "$@"; do mount --bind /dev/null "$f" || exit 97; done; exec "$plugin" """;
        var result = await Run.ProcessAsync(
            "unshare", ["--mount", "--propagation", "private", "sh", "-c", Script, "sh", Repo.Plugin, .. hidden],
            env, cluster.Direct(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(CniErrorCodes.Internal, CniCall.ErrorCode(result.Stdout));
        var message = KubeCluster.ErrorText(result.Stdout);
        Assert.Contains("no OpenSSL library", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message.Trim());
        Assert.Empty(cluster.Server.Store.List("ippools", KubeCluster.Namespace));
    }

    /// <summary>The files behind every libssl name the runtime tries, as the dynamic linker's cache resolves them.</summary>
    private static async Task<List<string>> LibsslFilesAsync()
    {
        var cache = await Run.CheckedAsync("ldconfig", "-p");
        return [.. CacheEntry().Matches(cache)
            .Where(static m => TlsLibrary.Candidates.Contains(m.Groups["name"].Value))
            .Select(static m => m.Groups["path"].Value)
            .Distinct()];
    }

    [GeneratedRegex(@"^\s*(?<name>\S+) \(.*\) => (?<path>\S+)$", RegexOptions.Multiline)]
    private static partial Regex CacheEntry();
}
