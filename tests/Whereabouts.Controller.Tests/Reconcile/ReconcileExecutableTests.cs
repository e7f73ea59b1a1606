using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using k8s.Models;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary>
/// The built <c>whereabouts-controller</c> running <c>reconcile --dry-run</c> against the API test server started as a
/// process (as scripts use it); objects are made over HTTP, and the server's counters prove nothing was written.
/// </summary>
public sealed class ReconcileExecutableTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("wb-reconcile-exe-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Executable_ReconcileDryRun_ReportsAndTheServerSawNoWrite()
    {
        var kubeconfig = Path.Join(_directory, "kubeconfig");
        using var server = Start(Path.Join(AppContext.BaseDirectory, "Whereabouts.Testing"), "--kubeconfig", kubeconfig);
        try
        {
            var url = await server.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken)
                ?? throw new InvalidOperationException("the server printed no URL");
            await PlantAsync(kubeconfig);
            using var debug = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
            {
                BaseAddress = new Uri(url + "/"),
            };
            (await debug.PostAsync(new Uri("debug/counters/reset", UriKind.Relative), null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

            using var controller = Start(ControllerExecutable.Path, "reconcile", "--kubeconfig", kubeconfig, "--dry-run");
            var stdout = controller.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = controller.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await controller.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);

            Assert.True(controller.ExitCode == 0, await stderr);
            Assert.Equal(
                "would release allocation pool=kube-system/10.0.0.0-24 address=10.0.0.1 podref=default/gone ifname=net1 container=c-gone reason=pod-gone\n" +
                "reconcile (dry run): pools=1 allocations=2 would-release=1 kept=1 (pending=1) vanished=0 reservations-would-release=0 reservations-kept=0 errors=0\n",
                await stdout);
            using var counters = JsonDocument.Parse(await debug.GetStringAsync(new Uri("debug/counters", UriKind.Relative), TestContext.Current.CancellationToken));
            var verbs = counters.RootElement.GetProperty("counters").EnumerateArray().Select(c => c.GetProperty("verb").GetString()).ToHashSet();
            Assert.Contains("list", verbs);
            Assert.DoesNotContain(verbs, v => v is "create" or "update" or "patch" or "delete" or "deletecollection");
        }
        finally
        {
            await TerminateAsync(server);
        }
    }

    private static async Task PlantAsync(string kubeconfig)
    {
        var ct = TestContext.Current.CancellationToken;
        using var connection = KubernetesConnection.Open(kubeconfig, TimeSpan.FromSeconds(10));
        var client = new WhereaboutsClient(connection);
        var key = PoolKey.For(Cidr.Parse("10.0.0.0/24"), null);
        await client.CreatePoolAsync("kube-system", key, ct);
        var empty = Whereabouts.Storage.Kubernetes.Crds.CrdConversion.ToSnapshot((await client.GetPoolAsync("kube-system", key.Name, ct))!, key);
        var change = new PoolChange(
            new Dictionary<UInt128, PoolAllocation>
            {
                [1] = new("c-gone", "default/gone", "net1"),
                [2] = new("c-alive", "default/alive", "net1"),
            },
            []);
        Assert.True(await client.TryUpdatePoolAsync("kube-system", empty, change, ct));
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "alive", NamespaceProperty = "default" },
            Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "main", Image = "registry.k8s.io/pause:3.10" }] },
        };
        var created = await connection.SendAsync(
            new KubeRequest("create", "pods", "", "default"),
            (k, token) => k.CoreV1.CreateNamespacedPodWithHttpMessagesAsync(pod, "default", cancellationToken: token),
            ct);
        Assert.True(created.IsSuccess, created.Message);
    }

    private static Process Start(string executable, params string[] args)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "WHEREABOUTS_NAMESPACE" })
        {
            info.Environment.Remove(name);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {executable}");
    }

    /// <summary>Sends SIGTERM to the server this test started (by its pid) and waits for it.</summary>
    private static async Task TerminateAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
    }
}
