using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace Whereabouts.Controller.InstallCni;

/// <summary>
/// Runs the installed plugin as a container runtime would for <c>VERSION</c>, so that a plugin that cannot run here
/// (wrong architecture, a glibc or loader it cannot find, a <c>noexec</c> mount, a damaged copy) stops install-cni with
/// a message, before the node is reported ready, instead of failing every pod's ADD later.
/// </summary>
internal static class PluginProbe
{
    /// <summary>The plugin starts in milliseconds; this only bounds a plugin that hangs.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private const string VersionRequest = """{"cniVersion":"1.0.0"}""";

    /// <summary>Runs <c>VERSION</c> and returns the CNI versions the plugin says it supports.</summary>
    /// <exception cref="PluginUnusableException">It cannot be started, fails, hangs, or answers something else.</exception>
    public static async Task<IReadOnlyList<string>> VersionAsync(string plugin, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(plugin)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["CNI_COMMAND"] = "VERSION";

        using var process = Start(plugin, info);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.StandardInput.WriteAsync(VersionRequest);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited without reading stdin; its exit status says why.
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw Unusable(plugin, $"VERSION did not answer within {timeout.TotalSeconds:0.#} s");
        }

        if (process.ExitCode != 0)
        {
            throw Unusable(plugin, $"VERSION exited with {process.ExitCode}: {FirstLine(await stderr) ?? FirstLine(await stdout) ?? "no output"}");
        }

        return SupportedVersions(plugin, await stdout);
    }

    private static Process Start(string plugin, ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw Unusable(plugin, "it could not be started");
        }
        catch (Win32Exception ex)
        {
            // ENOEXEC for another architecture, EACCES for a noexec mount, ENOENT for a missing ELF interpreter.
            throw Unusable(plugin, $"it cannot be executed: {ex.Message}", ex);
        }
    }

    private static List<string> SupportedVersions(string plugin, string stdout)
    {
        try
        {
            using var answer = JsonDocument.Parse(stdout);
            if (answer.RootElement.ValueKind == JsonValueKind.Object &&
                answer.RootElement.TryGetProperty("supportedVersions", out var versions) &&
                versions.ValueKind == JsonValueKind.Array &&
                versions.GetArrayLength() > 0)
            {
                return [.. versions.EnumerateArray().Select(static v => v.ToString())];
            }
        }
        catch (JsonException)
        {
            // Reported below with what it printed.
        }

        throw Unusable(plugin, $"VERSION did not answer with supportedVersions: {FirstLine(stdout) ?? "no output"}");
    }

    private static PluginUnusableException Unusable(string plugin, string reason, Exception? inner = null) =>
        new($"the installed plugin {plugin} does not run on this node: {reason}", inner);

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
