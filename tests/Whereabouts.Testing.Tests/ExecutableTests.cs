using System.Diagnostics;
using k8s;
using Whereabouts.Testing.Tests.Support;

namespace Whereabouts.Testing.Tests;

[CollectionDefinition(nameof(ExecutableTests), DisableParallelization = true)]
public sealed class ExecutableTestGroup;

/// <summary>The server as a process, as scripts and benchmarks start it. Not run in parallel so start times mean something.</summary>
[Collection(nameof(ExecutableTests))]
public sealed class ExecutableTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kubeapi-exe-" + Guid.NewGuid().ToString("N"));

    public ExecutableTests()
    {
        Directory.CreateDirectory(_directory);
    }

    [Fact]
    public async Task Executable_PrintsUrlWritesKubeconfigServesAndStopsOnSigterm()
    {
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        using var process = Start("--kubeconfig", kubeconfig, "--token", "exe-token");
        try
        {
            var url = await FirstLineAsync(process);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var version = await client.Version.GetCodeAsync(Api.Token);

            Assert.Matches("^https://127\\.0\\.0\\.1:[0-9]+$", url);
            Assert.Equal("v1.33.0", version.GitVersion);
            Assert.Contains("namespace: \"kube-system\"", await File.ReadAllTextAsync(kubeconfig, Api.Token), StringComparison.Ordinal);
        }
        finally
        {
            await TerminateAsync(process);
        }

        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Executable_PlainHttpWithLatency()
    {
        using var process = Start("--http", "--token", "t", "--latency-ms", "150");
        try
        {
            var url = await FirstLineAsync(process);
            using var http = new HttpClient { BaseAddress = new Uri(url + "/") };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t");
            var watch = Stopwatch.StartNew();
            var (code, _, _) = await http.SendAsync(HttpMethod.Get, "api/v1/namespaces");

            Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.OK, code);
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(140), $"took {watch.Elapsed}");
        }
        finally
        {
            await TerminateAsync(process);
        }
    }

    [Fact]
    public async Task Executable_StartsInUnderASecond()
    {
        var best = TimeSpan.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var watch = Stopwatch.StartNew();
            using var process = Start("--token", "t");
            try
            {
                await FirstLineAsync(process);
                best = watch.Elapsed < best ? watch.Elapsed : best;
            }
            finally
            {
                await TerminateAsync(process);
            }
        }

        TestContext.Current.SendDiagnosticMessage($"best start time: {best.TotalMilliseconds:F0} ms");
        Assert.True(best < TimeSpan.FromSeconds(1), $"best start took {best}");
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "eighty")]
    [InlineData("--token")]
    public async Task Executable_BadArguments_PrintUsageAndExit2(params string[] arguments)
    {
        using var process = Start(arguments);

        await process.WaitForExitAsync(Api.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("usage:", await process.StandardError.ReadToEndAsync(Api.Token), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Whereabouts.Testing"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
    }

    private static async Task<string> FirstLineAsync(Process process)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Api.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("No URL line.");
    }

    /// <summary>Sends SIGTERM to the process this test started (by its pid) and waits for it to exit.</summary>
    private static async Task TerminateAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(Api.Token);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Api.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(timeout.Token);
    }
}
