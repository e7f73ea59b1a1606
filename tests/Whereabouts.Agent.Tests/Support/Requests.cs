using Whereabouts.Agent.Protocol;

namespace Whereabouts.Agent.Tests.Support;

internal static class Requests
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    public static AgentRequest Add(string containerId = "c1") => new()
    {
        Verb = AgentVerb.Add,
        ContainerId = containerId,
        IfName = "net1",
        PodRef = "default/pod",
        NetworkConfig = """{"cniVersion":"1.0.0","name":"n","type":"macvlan","ipam":{"type":"whereabouts","range":"10.0.0.0/24"}}""",
    };
}
