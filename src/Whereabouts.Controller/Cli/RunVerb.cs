using System.CommandLine;
using Cronos;
using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Cli;

/// <summary><c>whereabouts-controller run</c>: parses its flags into <see cref="RunOptions"/> and hands them to the node controller.</summary>
internal sealed class RunVerb : VerbCommand
{
    public const int DefaultMetricsPort = 9464;

    /// <summary>Where /metrics listens when neither the flag nor <see cref="NodeIpVariable"/> says: reachable from this node only.</summary>
    public const string DefaultMetricsBindAddress = "127.0.0.1";

    /// <summary>The node's IP; the chart sets it from the downward API (<c>status.hostIP</c>).</summary>
    public const string NodeIpVariable = "NODE_IP";

    private readonly Func<RunOptions, CancellationToken, Task<int>> _run;
    private readonly Option<string?> _node;
    private readonly Option<string?> _namespace;
    private readonly Option<string?> _kubeconfig = SharedOptions.Kubeconfig();
    private readonly Option<int> _metricsPort = new("--metrics-port")
    {
        Description = "Port of /healthz and /metrics; 0 serves neither",
        HelpName = "PORT",
        DefaultValueFactory = _ => DefaultMetricsPort,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                && port is >= 0 and <= 65535)
            {
                return port;
            }

            result.AddError($"--metrics-port: '{text}' is not a port (1-65535, or 0 for none)");
            return DefaultMetricsPort;
        },
    };

    private readonly Option<string> _metricsBindAddress;

    private readonly Option<string?> _reconcileSchedule = new("--reconcile-schedule")
    {
        Description = "5-field cron expression (UTC) of a reclamation pass run by the replica holding the lease (default: none)",
        HelpName = "CRON",
    };

    private readonly Option<string?> _agentSocket = SharedOptions.AgentSocket(
        "Serve the plugin's requests (the node agent) on this unix socket (mode 0600); the plugin uses it when its configuration has agent_socket");

    private readonly Option<string?> _cniConfDir = SharedOptions.CniConfDir(null, "CNI configuration directory as mounted here; when set, whereabouts.d/whereabouts.kubeconfig is kept fresh");
    private readonly Option<string?> _hostCniConfDir = SharedOptions.HostCniConfDir();
    private readonly Option<string?> _serviceAccountDir = SharedOptions.ServiceAccountDir();
    private readonly Option<LogLevelSetting> _logLevel = LogLevelOption.Create();

    public RunVerb(CliEnvironment environment, Func<RunOptions, CancellationToken, Task<int>> run)
        : base("run", "Run the node controller: release addresses of deleted pods, serve /healthz and /metrics, and with --agent-socket the plugin's requests", environment)
    {
        _run = run;
        _node = SharedOptions.Node(environment, "This node's name");
        _metricsBindAddress = new Option<string>("--metrics-bind-address")
        {
            Description = $"IP address /healthz and /metrics listen on (0.0.0.0 or :: for every address); ${NodeIpVariable} when not given, else {DefaultMetricsBindAddress}",
            HelpName = "ADDR",
            DefaultValueFactory = _ => SharedOptions.NonEmpty(environment.GetEnvironmentVariable(NodeIpVariable)) ?? DefaultMetricsBindAddress,
        };
        _metricsBindAddress.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!System.Net.IPAddress.TryParse(value, out _))
            {
                result.AddError($"--metrics-bind-address: '{value}' is not an IP address");
            }
        });
        _namespace = SharedOptions.Namespace(environment, fallback: null);
        _node.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is null)
            {
                result.AddError($"--node is required (or set ${SharedOptions.NodeVariable})");
            }
        });
        _reconcileSchedule.Validators.Add(result =>
        {
            if (SharedOptions.NonEmpty(result.GetValueOrDefault<string?>()) is { } cron
                && !CronExpression.TryParse(cron, CronFormat.Standard, out _))
            {
                result.AddError($"--reconcile-schedule: '{cron}' is not a 5-field cron expression");
            }
        });
        Options.Add(_node);
        Options.Add(_namespace);
        Options.Add(_kubeconfig);
        Options.Add(_metricsPort);
        Options.Add(_metricsBindAddress);
        Options.Add(_reconcileSchedule);
        Options.Add(_agentSocket);
        Options.Add(_cniConfDir);
        Options.Add(_hostCniConfDir);
        Options.Add(_serviceAccountDir);
        Options.Add(_logLevel);
    }

    public RunOptions Bind(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new RunOptions(
            parseResult.GetValue(_node) ?? throw new CommandLineException(ExitCodes.Usage, "--node is required"),
            parseResult.GetValue(_namespace),
            SharedOptions.NonEmpty(parseResult.GetValue(_kubeconfig)),
            parseResult.GetValue(_metricsPort),
            parseResult.GetValue(_metricsBindAddress) ?? DefaultMetricsBindAddress,
            SharedOptions.NonEmpty(parseResult.GetValue(_reconcileSchedule)),
            parseResult.GetValue(_cniConfDir),
            parseResult.GetValue(_hostCniConfDir) ?? SharedOptions.DefaultHostCniConfDir,
            parseResult.GetValue(_serviceAccountDir) ?? SharedOptions.DefaultServiceAccountDir,
            parseResult.GetValue(_logLevel),
            SharedOptions.NonEmpty(parseResult.GetValue(_agentSocket)));
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        _run(Bind(parseResult), cancellationToken);
}
