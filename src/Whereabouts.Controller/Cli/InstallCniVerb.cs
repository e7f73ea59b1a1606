using System.CommandLine;
using Whereabouts.Controller.InstallCni;
using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Cli;

/// <summary><c>whereabouts-controller install-cni</c>: the DaemonSet's node setup (<see cref="CniInstaller"/>).</summary>
internal sealed class InstallCniVerb : VerbCommand
{
    public const string DefaultCniBinDir = "/host/opt/cni/bin";
    public const string DefaultCniConfDir = "/host/etc/cni/net.d";
    public const string DefaultPluginSource = "/usr/local/bin/whereabouts";

    private readonly Option<string?> _cniBinDir = SharedOptions.Directory("--cni-bin-dir", DefaultCniBinDir, "The host's CNI binary directory as mounted here");
    private readonly Option<string?> _cniConfDir = SharedOptions.CniConfDir(DefaultCniConfDir, "The host's CNI configuration directory as mounted here");
    private readonly Option<string?> _hostCniConfDir = SharedOptions.HostCniConfDir();
    private readonly Option<string?> _pluginSource = new("--plugin-source")
    {
        Description = "The plugin executable to install",
        HelpName = "PATH",
        DefaultValueFactory = _ => DefaultPluginSource,
    };

    private readonly Option<string?> _serviceAccountDir = SharedOptions.ServiceAccountDir();
    private readonly Option<string?> _namespace;
    private readonly Option<string?> _node;
    private readonly Option<bool> _skipTlsVerify = new("--skip-tls-verify")
    {
        Description = "Write insecure-skip-tls-verify into the kubeconfig instead of the service account's CA",
    };

    private readonly Option<bool> _watch = new("--watch")
    {
        Description = "Keep running and rewrite the kubeconfig when the token or CA rotates (until SIGTERM)",
    };

    private readonly Option<string?> _agentSocket = SharedOptions.AgentSocket(
        "The node agent's unix socket as the host sees it (run --agent-socket); written to the flat file as agent_socket");

    private readonly Option<LogLevelSetting> _logLevel = LogLevelOption.Create();

    public InstallCniVerb(CliEnvironment environment)
        : base("install-cni", "Install the plugin on this node and write whereabouts.d/ (flat file, kubeconfig, node name)", environment)
    {
        _namespace = SharedOptions.Namespace(environment, SharedOptions.DefaultNamespace);
        _node = SharedOptions.Node(environment, "This node's name, written to whereabouts.d/nodename");
        Options.Add(_cniBinDir);
        Options.Add(_cniConfDir);
        Options.Add(_hostCniConfDir);
        Options.Add(_pluginSource);
        Options.Add(_serviceAccountDir);
        Options.Add(_namespace);
        Options.Add(_node);
        Options.Add(_skipTlsVerify);
        Options.Add(_watch);
        Options.Add(_agentSocket);
        Options.Add(_logLevel);
    }

    /// <summary>How often <c>--watch</c> polls; tests shorten it.</summary>
    public TimeSpan? WatchInterval { get; init; }

    public InstallCniOptions Bind(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new InstallCniOptions(
            parseResult.GetValue(_cniBinDir) ?? DefaultCniBinDir,
            parseResult.GetValue(_cniConfDir) ?? DefaultCniConfDir,
            parseResult.GetValue(_hostCniConfDir) ?? SharedOptions.DefaultHostCniConfDir,
            SharedOptions.NonEmpty(parseResult.GetValue(_pluginSource)) ?? DefaultPluginSource,
            parseResult.GetValue(_serviceAccountDir) ?? SharedOptions.DefaultServiceAccountDir,
            parseResult.GetValue(_namespace) ?? SharedOptions.DefaultNamespace,
            SharedOptions.NonEmpty(parseResult.GetValue(_node)),
            parseResult.GetValue(_skipTlsVerify),
            parseResult.GetValue(_watch),
            SharedOptions.NonEmpty(parseResult.GetValue(_agentSocket)));
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var options = Bind(parseResult);
        using var loggers = ControllerLogging.CreateFactory(parseResult.GetValue(_logLevel), Environment.Logs);
        var installer = new CniInstaller(options, Environment.GetEnvironmentVariable, Environment.Time, loggers.CreateLogger(Name));
        await installer.RunAsync(WatchInterval, cancellationToken);
        return ExitCodes.Success;
    }
}
