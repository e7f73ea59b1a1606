using System.Text.Json.Nodes;

namespace Whereabouts.Plugin.Tests.Support;

/// <summary>One CNI call: the environment a runtime sets, for a binary run as a process.</summary>
internal sealed record CniCall(string Command, string ContainerId = "", string IfName = "net1", string NetNs = "/var/run/netns/none")
{
    public string? Args { get; init; } = "IgnoreUnknown=1";

    public string? Path { get; init; } = Repo.ReferencePlugins;

    public Dictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = Command };
        if (ContainerId.Length > 0)
        {
            env["CNI_CONTAINERID"] = ContainerId;
        }

        if (IfName.Length > 0)
        {
            env["CNI_IFNAME"] = IfName;
        }

        if (NetNs.Length > 0)
        {
            env["CNI_NETNS"] = NetNs;
        }

        if (Args is not null)
        {
            env["CNI_ARGS"] = Args;
        }

        if (Path is not null)
        {
            env["CNI_PATH"] = Path;
        }

        return env;
    }

    public static string PodArgs(string pod, string ns = "default") =>
        $"IgnoreUnknown=1;K8S_POD_NAMESPACE={ns};K8S_POD_NAME={pod};K8S_POD_INFRA_CONTAINER_ID=infra-{pod}";

    public Task<ProcessResult> RunAsync(string binary, string config) =>
        Run.ProcessAsync(binary, [], Environment(), config, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Parses an ADD result's addresses ("10.0.0.2/24") in order.</summary>
    public static List<string> Addresses(string resultJson)
    {
        var root = JsonNode.Parse(resultJson)!.AsObject();
        if (root["ips"] is JsonArray ips)
        {
            return [.. ips.Select(static ip => ip!["address"]!.GetValue<string>())];
        }

        return [.. new[] { root["ip4"]?["ip"], root["ip6"]?["ip"] }.Where(static n => n is not null).Select(static n => n!.GetValue<string>())];
    }

    public static int ErrorCode(string stdout) => JsonNode.Parse(stdout)!["code"]!.GetValue<int>();
}
