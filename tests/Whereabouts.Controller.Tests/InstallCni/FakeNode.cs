using System.Globalization;
using Microsoft.Extensions.Logging.Testing;
using Whereabouts.Controller.Cli;

namespace Whereabouts.Controller.Tests.InstallCni;

/// <summary>
/// A node and a pod as install-cni sees them, under a fresh temporary directory: host CNI bin and conf directories,
/// a plugin to install, and a service-account directory laid out as the kubelet projects it (files behind a
/// <c>..data</c> symlink to a timestamped directory, swapped on rotation).
/// </summary>
internal sealed class FakeNode : IDisposable
{
    public const string FirstToken = "eyJhbGciOiJSUzI1NiJ9.first.signature";
    public const string FirstCa = "-----BEGIN CERTIFICATE-----\nMIIBfirst\n-----END CERTIFICATE-----\n";

    private int _generation;

    public FakeNode()
    {
        Root = Directory.CreateTempSubdirectory("wb-install-cni-").FullName;
        BinDir = Directory.CreateDirectory(Path.Join(Root, "host", "opt", "cni", "bin")).FullName;
        ConfDir = Directory.CreateDirectory(Path.Join(Root, "host", "etc", "cni", "net.d")).FullName;
        ServiceAccountDir = Directory.CreateDirectory(Path.Join(Root, "serviceaccount")).FullName;
        PluginSource = Path.Join(Root, "image", "whereabouts");
        Directory.CreateDirectory(Path.GetDirectoryName(PluginSource)!);
        File.WriteAllBytes(PluginSource, PluginScript("plugin v1"));
        Project(FirstToken, FirstCa);
        File.CreateSymbolicLink(Path.Join(ServiceAccountDir, "token"), Path.Join("..data", "token"));
        File.CreateSymbolicLink(Path.Join(ServiceAccountDir, "ca.crt"), Path.Join("..data", "ca.crt"));
        File.CreateSymbolicLink(Path.Join(ServiceAccountDir, "namespace"), Path.Join("..data", "namespace"));
    }

    /// <summary>What a CNI plugin answers to VERSION.</summary>
    public const string VersionAnswer = """{"cniVersion":"1.0.0","supportedVersions":["0.4.0","1.0.0"]}""";

    public string Root { get; }

    /// <summary>Every message the commands run on this node logged, at every level.</summary>
    public FakeLogCollector Logs { get; } = new();

    public string BinDir { get; }

    public string ConfDir { get; }

    public string ServiceAccountDir { get; }

    public string PluginSource { get; }

    /// <summary>The environment the kubelet and the DaemonSet give the pod.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal)
    {
        ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1",
        ["KUBERNETES_SERVICE_PORT"] = "443",
        ["NODENAME"] = "node-1",
    };

    public string WhereaboutsDir => Path.Join(ConfDir, "whereabouts.d");

    public string Kubeconfig => Path.Join(WhereaboutsDir, "whereabouts.kubeconfig");

    public string FlatFile => Path.Join(WhereaboutsDir, "whereabouts.conf");

    public string NodeNameFile => Path.Join(WhereaboutsDir, "nodename");

    public string InstalledPlugin => Path.Join(BinDir, "whereabouts");

    /// <summary>install-cni with this node's directories, then <paramref name="extra"/>.</summary>
    public string[] Args(params string[] extra) =>
    [
        "install-cni",
        $"--cni-bin-dir={BinDir}",
        $"--cni-conf-dir={ConfDir}",
        $"--plugin-source={PluginSource}",
        $"--service-account-dir={ServiceAccountDir}",
        .. extra,
    ];

    /// <summary>Runs the command line in this process with this node's environment.</summary>
    public Task<CliRun> RunAsync(string[] args) => RunAsync(args, null, TestContext.Current.CancellationToken);

    /// <summary>Runs the command line in this process; <paramref name="watchInterval"/> shortens <c>--watch</c> polling.</summary>
    public async Task<CliRun> RunAsync(string[] args, TimeSpan? watchInterval, CancellationToken cancellationToken)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        using var logs = new FakeLoggerProvider(Logs);
        var environment = new CliEnvironment(name => Environment.GetValueOrDefault(name), output, error, TimeProvider.System, logs);
        var root = new System.CommandLine.RootCommand { new InstallCniVerb(environment) { WatchInterval = watchInterval } };
        var code = await CommandLine.InvokeAsync(root, args, environment, cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// A plugin for install-cni to copy and run: a shell script that reads stdin and answers VERSION as
    /// <paramref name="body"/> says, tagged with <paramref name="marker"/>. The shell stops at <c>exit</c>, so bytes
    /// appended after the script do not run.
    /// </summary>
    public static byte[] PluginScript(string marker, string body = $"cat >/dev/null\necho '{VersionAnswer}'\nexit 0") =>
        System.Text.Encoding.UTF8.GetBytes($"#!/bin/sh\n# {marker}\n{body}\n");

    /// <summary>Rewrites the token file in place, as a hand-made (non-projected) secret would change.</summary>
    public void OverwriteToken(string token) => File.WriteAllText(Path.Join(ServiceAccountDir, "..data", "token"), token);

    /// <summary>Rotates as the kubelet does: a new timestamped directory, then an atomic swap of the <c>..data</c> link.</summary>
    public void Project(string token, string ca)
    {
        var previous = _generation == 0 ? null : GenerationDir(_generation);
        _generation++;
        var next = Directory.CreateDirectory(GenerationDir(_generation)).FullName;
        File.WriteAllText(Path.Join(next, "token"), token);
        File.WriteAllText(Path.Join(next, "ca.crt"), ca);
        File.WriteAllText(Path.Join(next, "namespace"), "kube-system");
        var staging = Path.Join(ServiceAccountDir, "..data_tmp");
        File.CreateSymbolicLink(staging, Path.GetFileName(next));
        Rename.Replace(staging, Path.Join(ServiceAccountDir, "..data"));
        if (previous is not null)
        {
            Directory.Delete(previous, recursive: true);
        }
    }

    /// <summary>How many messages with event id <paramref name="eventId"/> the commands have logged so far.</summary>
    public int Logged(int eventId) => Logs.GetSnapshot().Count(r => r.Id.Id == eventId);

    /// <summary>Waits until the kubeconfig contains <paramref name="text"/>; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> KubeconfigContainsAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(Kubeconfig) && (await File.ReadAllTextAsync(Kubeconfig)).Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Every file under the host directories, relative to <see cref="Root"/>.</summary>
    public IReadOnlyList<string> HostFiles() =>
        Directory.EnumerateFileSystemEntries(Path.Join(Root, "host"), "*", SearchOption.AllDirectories)
            .Where(File.Exists)
            .Select(p => Path.GetRelativePath(Root, p))
            .Order(StringComparer.Ordinal)
            .ToList();

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private string GenerationDir(int generation) =>
        Path.Join(ServiceAccountDir, string.Create(CultureInfo.InvariantCulture, $"..2026_01_01_00_00_{generation:00}.000000001"));
}
