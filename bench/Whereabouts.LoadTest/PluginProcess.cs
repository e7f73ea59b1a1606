using System.Diagnostics;

namespace Whereabouts.LoadTest;

/// <summary>
/// Runs the plugin once per call, as a runtime does: the CNI environment, the configuration of the call's node on stdin
/// (in agent mode each node's names its own agent), the result on stdout.
/// </summary>
internal sealed class PluginProcess(string binary, Func<string, string> configOfNode)
{
    public string Binary => binary;

    public async Task<CallResult> RunAsync(PodCall call)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in info.Environment.Keys.Where(static k => k.StartsWith("CNI_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["CNI_COMMAND"] = call.Command;
        info.Environment["CNI_CONTAINERID"] = call.ContainerId;
        info.Environment["CNI_IFNAME"] = "net1";
        info.Environment["CNI_NETNS"] = "/var/run/netns/" + call.Pod;
        info.Environment["CNI_PATH"] = "/usr/lib/cni";
        info.Environment["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME={call.Pod};K8S_POD_INFRA_CONTAINER_ID={call.ContainerId}";
        info.Environment["NODENAME"] = call.Node;

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {binary}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(configOfNode(call.Node));
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new CallResult(call, process.ExitCode, await stdout, await stderr, elapsed);
    }
}
