using System.Text;

namespace Whereabouts.Controller.Tests.InstallCni;

public sealed class InstallCniTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0700 = Mode0600 | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0755 = Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task InstallCni_FreshNode_WritesEveryFileWithItsMode()
    {
        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Equal(File.ReadAllBytes(_node.PluginSource), File.ReadAllBytes(_node.InstalledPlugin));
        Assert.Equal(Mode0755, File.GetUnixFileMode(_node.InstalledPlugin));
        Assert.Equal(Mode0700, File.GetUnixFileMode(_node.WhereaboutsDir));
        Assert.Equal(Mode0600, File.GetUnixFileMode(_node.Kubeconfig));
        Assert.Equal(Mode0600, File.GetUnixFileMode(_node.FlatFile));
        Assert.Equal(Mode0600, File.GetUnixFileMode(_node.NodeNameFile));
        Assert.Equal(
            ["host/etc/cni/net.d/whereabouts.d/nodename", "host/etc/cni/net.d/whereabouts.d/whereabouts.conf",
             "host/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig", "host/opt/cni/bin/whereabouts"],
            _node.HostFiles());
    }

    [Fact]
    public async Task InstallCni_FreshNode_WritesUpstreamFlatFileAndNodeName()
    {
        await _node.RunAsync(_node.Args());

        Assert.Equal(
            """{"datastore":"kubernetes","configuration_path":"/etc/cni/net.d/whereabouts.d","kubernetes":{"kubeconfig":"/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig"}}""" + "\n",
            File.ReadAllText(_node.FlatFile));
        Assert.Equal("node-1", File.ReadAllText(_node.NodeNameFile));
    }

    [Fact]
    public async Task InstallCni_HostCniConfDir_IsTheDirectoryWrittenIntoTheFlatFile()
    {
        await _node.RunAsync(_node.Args("--host-cni-conf-dir=/etc/kubernetes/cni/net.d/"));

        Assert.Equal(
            """{"datastore":"kubernetes","configuration_path":"/etc/kubernetes/cni/net.d/whereabouts.d","kubernetes":{"kubeconfig":"/etc/kubernetes/cni/net.d/whereabouts.d/whereabouts.kubeconfig"}}""" + "\n",
            File.ReadAllText(_node.FlatFile));
    }

    [Fact]
    public async Task InstallCni_AgentSocket_AdvertisedInTheFlatFileBesideTheKubeconfig()
    {
        await _node.RunAsync(_node.Args("--agent-socket=/run/whereabouts/agent.sock"));

        Assert.Equal(
            """{"datastore":"kubernetes","configuration_path":"/etc/cni/net.d/whereabouts.d","kubernetes":{"kubeconfig":"/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig"},"agent_socket":"/run/whereabouts/agent.sock"}""" + "\n",
            File.ReadAllText(_node.FlatFile));
    }

    [Fact]
    public async Task InstallCni_FreshNode_WritesUpstreamKubeconfigLayout()
    {
        await _node.RunAsync(_node.Args());

        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(FakeNode.FirstCa));
        Assert.Equal(
            $"""
            # Kubeconfig file for the Whereabouts CNI plugin.
            apiVersion: v1
            kind: Config
            clusters:
            - name: local
              cluster:
                server: "https://10.96.0.1:443"
                certificate-authority-data: "{ca}"
            users:
            - name: whereabouts
              user:
                token: "{FakeNode.FirstToken}"
            contexts:
            - name: whereabouts-context
              context:
                cluster: local
                user: whereabouts
                namespace: "kube-system"
            current-context: whereabouts-context

            """,
            File.ReadAllText(_node.Kubeconfig));
    }

    [Fact]
    public async Task InstallCni_FreshNode_KubeconfigLoadsWithTheKubernetesClient()
    {
        await _node.RunAsync(_node.Args());

        var parsed = KubeconfigAssert.Load(_node.Kubeconfig);
        Assert.Equal("https://10.96.0.1:443", parsed.Server);
        Assert.Equal(FakeNode.FirstCa, parsed.CaText);
        Assert.False(parsed.SkipTlsVerify);
        Assert.Equal(FakeNode.FirstToken, parsed.Token);
        Assert.Equal("kube-system", parsed.Namespace);
    }

    [Fact]
    public async Task InstallCni_Ipv6ServiceHost_BracketsTheAddress()
    {
        _node.Environment["KUBERNETES_SERVICE_HOST"] = "fd00:10:96::1";
        _node.Environment["KUBERNETES_SERVICE_PORT"] = "6443";

        await _node.RunAsync(_node.Args());

        Assert.Equal("https://[fd00:10:96::1]:6443", KubeconfigAssert.Load(_node.Kubeconfig).Server);
    }

    [Fact]
    public async Task InstallCni_SkipTlsVerify_WritesInsecureFlagAndNeedsNoCa()
    {
        File.Delete(Path.Join(_node.ServiceAccountDir, "..data", "ca.crt"));

        var run = await _node.RunAsync(_node.Args("--skip-tls-verify"));

        Assert.Equal(0, run.ExitCode);
        var text = File.ReadAllText(_node.Kubeconfig);
        Assert.Contains("\n    insecure-skip-tls-verify: true\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate-authority", text, StringComparison.Ordinal);
        var parsed = KubeconfigAssert.Load(_node.Kubeconfig);
        Assert.True(parsed.SkipTlsVerify);
        Assert.Null(parsed.CaText);
    }

    [Theory]
    [InlineData(null, null, "kube-system")]
    [InlineData("whereabouts", null, "whereabouts")]
    [InlineData("whereabouts", "other", "other")]
    [InlineData(null, "other", "other")]
    public async Task InstallCni_Namespace_FlagThenEnvironmentThenKubeSystem(string? environment, string? flag, string expected)
    {
        if (environment is not null)
        {
            _node.Environment["WHEREABOUTS_NAMESPACE"] = environment;
        }

        var run = await _node.RunAsync(flag is null ? _node.Args() : _node.Args($"--namespace={flag}"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, KubeconfigAssert.Load(_node.Kubeconfig).Namespace);
    }

    [Fact]
    public async Task InstallCni_NodeFlag_WinsOverEnvironment()
    {
        await _node.RunAsync(_node.Args("--node", "node-from-flag"));

        Assert.Equal("node-from-flag", File.ReadAllText(_node.NodeNameFile));
    }

    [Fact]
    public async Task InstallCni_NoNodeName_SkipsTheNodeNameFile()
    {
        _node.Environment.Remove("NODENAME");

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(0, run.ExitCode);
        Assert.False(File.Exists(_node.NodeNameFile));
        Assert.True(File.Exists(_node.Kubeconfig));
    }

    [Fact]
    public async Task InstallCni_SecondRun_RewritesNothing()
    {
        await _node.RunAsync(_node.Args());
        var files = _node.HostFiles().Select(f => Path.Join(_node.Root, f)).ToList();
        var past = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var file in files)
        {
            File.SetLastWriteTimeUtc(file, past);
        }

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(files, _node.HostFiles().Select(f => Path.Join(_node.Root, f)));
        Assert.All(files, f => Assert.Equal(past, File.GetLastWriteTimeUtc(f)));
    }

    [Fact]
    public async Task InstallCni_OnlyNamespaceChanged_RewritesOnlyTheKubeconfig()
    {
        await _node.RunAsync(_node.Args());
        var past = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var file in _node.HostFiles())
        {
            File.SetLastWriteTimeUtc(Path.Join(_node.Root, file), past);
        }

        await _node.RunAsync(_node.Args("--namespace=other"));

        Assert.NotEqual(past, File.GetLastWriteTimeUtc(_node.Kubeconfig));
        Assert.Equal(past, File.GetLastWriteTimeUtc(_node.FlatFile));
        Assert.Equal(past, File.GetLastWriteTimeUtc(_node.NodeNameFile));
        Assert.Equal(past, File.GetLastWriteTimeUtc(_node.InstalledPlugin));
    }

    [Fact]
    public async Task InstallCni_NewPluginVersion_ReplacesTheBinary()
    {
        await _node.RunAsync(_node.Args());
        File.WriteAllBytes(_node.PluginSource, FakeNode.PluginScript("plugin v2, longer"));

        await _node.RunAsync(_node.Args());

        Assert.Equal(FakeNode.PluginScript("plugin v2, longer"), File.ReadAllBytes(_node.InstalledPlugin));
        Assert.Equal(Mode0755, File.GetUnixFileMode(_node.InstalledPlugin));
    }

    [Fact]
    public async Task InstallCni_LooseModesOnUnchangedFiles_AreTightened()
    {
        await _node.RunAsync(_node.Args());
        File.SetUnixFileMode(_node.Kubeconfig, Mode0755);
        File.SetUnixFileMode(_node.InstalledPlugin, Mode0600);

        await _node.RunAsync(_node.Args());

        Assert.Equal(Mode0600, File.GetUnixFileMode(_node.Kubeconfig));
        Assert.Equal(Mode0755, File.GetUnixFileMode(_node.InstalledPlugin));
    }

    [Fact]
    public async Task InstallCni_ExistingWhereaboutsDir_KeepsItsMode()
    {
        Directory.CreateDirectory(_node.WhereaboutsDir);
        File.SetUnixFileMode(_node.WhereaboutsDir, Mode0755);

        await _node.RunAsync(_node.Args());

        Assert.Equal(Mode0755, File.GetUnixFileMode(_node.WhereaboutsDir));
    }

    [Fact]
    public async Task InstallCni_LeftoverTemporaries_RemovesOnlyStaleOnes()
    {
        var stale = Path.Join(_node.BinDir, ".whereabouts.tmp.dead0001");
        var young = Path.Join(_node.BinDir, ".whereabouts.tmp.busy0002");
        File.WriteAllText(stale, "half a binary");
        File.WriteAllText(young, "a copy in progress");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));

        await _node.RunAsync(_node.Args());

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(young));
    }

    [Fact]
    public async Task InstallCni_NoTokenFile_ExitsNotInClusterAndWritesNothing()
    {
        File.Delete(Path.Join(_node.ServiceAccountDir, "token"));

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(3, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.Contains($"no service-account token at {_node.ServiceAccountDir}/token", line, StringComparison.Ordinal);
        Assert.Empty(_node.HostFiles());
        Assert.False(Directory.Exists(_node.WhereaboutsDir));
    }

    [Theory]
    [InlineData("KUBERNETES_SERVICE_HOST")]
    [InlineData("KUBERNETES_SERVICE_PORT")]
    public async Task InstallCni_NoServiceAddress_ExitsNotInClusterAndWritesNothing(string missing)
    {
        _node.Environment.Remove(missing);

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(
            "whereabouts-controller install-cni: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: not running in a Kubernetes pod",
            Assert.Single(run.StderrLines));
        Assert.Empty(_node.HostFiles());
    }

    [Theory]
    [InlineData("KUBERNETES_SERVICE_PORT", "https", "KUBERNETES_SERVICE_PORT='https' is not a port number")]
    [InlineData("KUBERNETES_SERVICE_PORT", "70000", "KUBERNETES_SERVICE_PORT='70000' is not a port number")]
    [InlineData("KUBERNETES_SERVICE_PROTOCOL", "ftp", "KUBERNETES_SERVICE_PROTOCOL='ftp' is neither https nor http")]
    [InlineData("KUBERNETES_SERVICE_HOST", "10.0.0.1/24", "KUBERNETES_SERVICE_HOST='10.0.0.1/24' is not a host name or address")]
    public async Task InstallCni_UnusableServiceVariable_FailsWithItsName(string variable, string value, string message)
    {
        _node.Environment[variable] = value;

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith(message, Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(_node.HostFiles());
    }

    [Fact]
    public async Task InstallCni_EmptyToken_FailsWithoutWriting()
    {
        _node.OverwriteToken("\n");

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is empty", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(_node.HostFiles());
    }

    [Fact]
    public async Task InstallCni_NoCaWithoutSkipTlsVerify_FailsAndNamesTheFlag()
    {
        File.Delete(Path.Join(_node.ServiceAccountDir, "..data", "ca.crt"));

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--skip-tls-verify", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(_node.HostFiles());
    }

    [Fact]
    public async Task InstallCni_MissingPluginSource_FailsWithoutWriting()
    {
        File.Delete(_node.PluginSource);

        var run = await _node.RunAsync(_node.Args());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"the plugin {_node.PluginSource} does not exist", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(_node.HostFiles());
    }
}
