using Cronos;
using Microsoft.Extensions.Logging;
using Whereabouts.Agent.Server;
using Whereabouts.Controller.Agent;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.InstallCni;
using Whereabouts.Controller.Kube;
using Whereabouts.Controller.Leases;
using Whereabouts.Controller.Metrics;
using Whereabouts.Controller.NodeSlices;
using Whereabouts.Controller.Reconcile;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.NodeController;

/// <summary>
/// <c>whereabouts-controller run</c>, the DaemonSet's long-running process: the node controller (<see cref="NodeController"/>),
/// <c>/healthz</c> and <c>/metrics</c>, the pool metrics, with <c>--cni-conf-dir</c> the plugin's kubeconfig kept fresh,
/// with <c>--reconcile-schedule</c> the scheduled reconcile pass, and with <c>--agent-socket</c> the node agent that serves
/// the plugin's requests. SIGTERM stops it with exit code 0.
/// </summary>
internal static partial class NodeControllerCommand
{
    public static Task<int> RunAsync(RunOptions options, CliEnvironment environment, CancellationToken cancellationToken) =>
        RunAsync(options, environment, NodeControllerSettings.Default, cancellationToken);

    internal static async Task<int> RunAsync(RunOptions options, CliEnvironment environment, NodeControllerSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(settings);
        using var loggers = ControllerLogging.CreateFactory(options.LogLevel, environment.Logs);
        var logger = loggers.CreateLogger("run");
        var time = environment.Time;
        var poolNamespace = options.Namespace ?? SharedOptions.DefaultNamespace;

        // Everything that can fail for a reason outside this process fails here, before anything starts.
        var refresher = options.CniConfDir is { } cniConfDir
            ? KubeconfigRefresher.ForCniConfDir(cniConfDir, options.ServiceAccountDir, poolNamespace, null, environment.GetEnvironmentVariable, time, loggers.CreateLogger("kubeconfig"))
            : null;
        using var connection = ClusterConnection.Open(options.Kubeconfig, options.ServiceAccountDir, environment.GetEnvironmentVariable, settings.RequestTimeout, logger);
        var client = new WhereaboutsClient(connection, logger);
        var cluster = new ClusterApi(connection);
        using var metrics = new ControllerMetrics();
        var health = new HealthState(time, settings.HealthGrace);
        await using var endpoint = options.MetricsPort == 0 ? null : MetricsEndpoint.Start(options.MetricsBindAddress, options.MetricsPort, metrics, health, logger);
        if (endpoint is null)
        {
            LogNoEndpoint(logger);
        }

        await using var agentStore = options.AgentSocket is null
            ? null
            : await AgentStore.OpenAsync(options, poolNamespace, environment.GetEnvironmentVariable, logger, cancellationToken);
        await using var agent = agentStore is null
            ? null
            : AgentServer.Bind(options.AgentSocket!, new IpamRequestHandler(agentStore.Store, loggers.CreateLogger("agent"), time, options.Node), loggers.CreateLogger("agent"));

        var statePath = options.CniConfDir is null ? null : Path.Join(WhereaboutsPaths.ConfDirectory(options.CniConfDir), SeenPods.FileName);
        if (statePath is null)
        {
            LogNoStateFile(logger);
        }

        var queue = new ReleaseQueue(time);
        queue.LengthChanged += metrics.SetQueueLength;
        var releaser = new DeletedPodReleaser(
            client,
            new NetworkConfigResolver(cluster, options.CniConfDir, options.HostCniConfDir),
            new PodEvents(cluster, options.Node, time, logger),
            metrics,
            poolNamespace,
            settings.Release with { NodeName = options.Node },
            time,
            logger);
        var controller = new NodeController(
            cluster, new SeenPods(statePath, options.Node, logger), queue, releaser, health, settings, options.Node, time, logger);
        var parts = new List<Func<CancellationToken, Task>> { controller.RunAsync };
        if (endpoint is not null)
        {
            // Without a listener nobody reads the pool gauges: no periodic pool listing for them.
            parts.Add(new PoolUsageRefresher(
                client,
                cluster,
                poolNamespace,
                new LeaseLock(connection, poolNamespace, PoolUsageRefresher.LeaseName, options.Node, settings.PoolMetricsInterval * 3, time),
                metrics,
                settings.PoolMetricsInterval,
                time,
                logger).RunAsync);
        }

        if (agent is not null)
        {
            parts.Add(agent.RunAsync);
        }

        var sliceWatches = new NodeSliceWatches(cluster, client, poolNamespace, settings.NodeSlices, time, logger);
        var slicePass = new NodeSlicePass(
            cluster, client, poolNamespace, new NodeSliceEvents(cluster, options.Node, time, logger), metrics.NodeSlices, logger, sliceWatches.Writing);
        parts.Add(new NodeSliceController(
            new LeaseLock(connection, poolNamespace, NodeSliceController.LeaseName, options.Node, settings.LeaseDuration, time),
            sliceWatches,
            slicePass.RunAsync,
            settings.NodeSlices,
            time,
            logger).RunAsync);

        if (refresher is not null)
        {
            parts.Add(ct => refresher.RunAsync(settings.KubeconfigRefreshInterval, ct));
        }

        if (options.ReconcileSchedule is { } schedule)
        {
            var reconcile = settings.Reconcile with { Namespace = options.Namespace, DryRun = false };
            var lease = new LeaseLock(connection, poolNamespace, ScheduledReconciler.LeaseName, options.Node, settings.LeaseDuration, time);
            parts.Add(new ScheduledReconciler(
                CronExpression.Parse(schedule, CronFormat.Standard),
                lease,
                ct => new ReconcilePass(client, cluster, reconcile, time, logger, null).RunAsync(ct),
                metrics,
                time,
                logger).RunAsync);
        }

        LogStarted(logger, options.Node, poolNamespace, options.ReconcileSchedule ?? "none");
        try
        {
            await TaskGroup.RunAsync(cancellationToken, [.. parts]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopped(logger);
        }

        return ExitCodes.Success;
    }

    [LoggerMessage(EventId = 450, Level = LogLevel.Information, Message = "Node controller of node {Node} started: IPPools in namespace {Namespace}, reconcile schedule {Schedule}")]
    private static partial void LogStarted(ILogger logger, string node, string @namespace, string schedule);

    [LoggerMessage(EventId = 451, Level = LogLevel.Information, Message = "Node controller stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 453, Level = LogLevel.Information, Message = "--metrics-port 0: not serving /healthz and /metrics")]
    private static partial void LogNoEndpoint(ILogger logger);

    [LoggerMessage(EventId = 452, Level = LogLevel.Warning, Message = "No --cni-conf-dir: the pods seen on this node are not kept across restarts, so pods deleted while the controller is down are left to the reconcile pass")]
    private static partial void LogNoStateFile(ILogger logger);
}
