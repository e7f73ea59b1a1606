using Whereabouts.Plugin.Tests.Support;
using Whereabouts.Testing.Agent;

namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>The node agent of a test cluster: the published controller, on node <c>node-a</c> (the tests' default node).</summary>
internal static class AgentProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    public static Task<NodeAgentProcess> StartAsync(string socketPath, string kubeconfig, string node = "node-a") =>
        NodeAgentProcess.StartAsync(Repo.Controller, node, kubeconfig, socketPath, KubeCluster.Namespace, StartTimeout, TestContext.Current.CancellationToken);
}
