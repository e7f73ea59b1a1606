using System.Diagnostics;

namespace Whereabouts.PluginBench;

/// <summary>Runs one CNI call as the runtime does: environment, config on stdin, result on stdout.</summary>
internal static class Invoker
{
    public static async Task<TimeSpan> CallAsync(string binary, string command, string container, string config, string netns, string cniPath, bool check = true)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["CNI_COMMAND"] = command;
        info.Environment["CNI_CONTAINERID"] = container;
        info.Environment["CNI_NETNS"] = netns;
        info.Environment["CNI_IFNAME"] = "net1";
        info.Environment["CNI_PATH"] = cniPath;
        info.Environment["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME={container}";

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.WriteAsync(config);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // A plugin may answer (VERSION) and exit before reading its stdin.
        }

        await process.WaitForExitAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{binary} {command} failed: {await output} {await errors}");
        }

        return elapsed;
    }

    /// <summary>Peak resident set of one call, from GNU time; null when /usr/bin/time is not installed.</summary>
    public static async Task<long?> PeakRssKibAsync(string binary, string command, string container, string config, string netns, string cniPath)
    {
        if (!File.Exists("/usr/bin/time"))
        {
            return null;
        }

        var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add("%M");
        info.ArgumentList.Add(binary);
        info.Environment["CNI_COMMAND"] = command;
        info.Environment["CNI_CONTAINERID"] = container;
        info.Environment["CNI_NETNS"] = netns;
        info.Environment["CNI_IFNAME"] = "net1";
        info.Environment["CNI_PATH"] = cniPath;
        info.Environment["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME={container}";
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.StandardInput.WriteAsync(config);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        var last = (await errors).Trim().Split('\n')[^1];
        return long.TryParse(last, out var kib) ? kib : null;
    }
}
