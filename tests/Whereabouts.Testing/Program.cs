using System.Globalization;
using System.Runtime.InteropServices;
using Whereabouts.Testing.KubeApi;

// Runs the Kubernetes API test server as a process for scripts, demos and benchmarks.
// The first line of stdout is the server URL; the process runs until SIGTERM or SIGINT.
const string Usage =
    "usage: Whereabouts.Testing [--port N] [--http] [--token T] [--crds DIR] [--kubeconfig PATH] [--namespace NS] [--latency-ms N] [--write-latency-ms N]";
var options = new KubeApiServerOptions();
string? kubeconfig = null;
string? kubeconfigNamespace = "kube-system";
var latency = TimeSpan.Zero;
var writeLatency = TimeSpan.Zero;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
    TimeSpan Milliseconds() => TimeSpan.FromMilliseconds(double.Parse(Value(), CultureInfo.InvariantCulture));
    try
    {
        switch (args[i])
        {
            case "--port":
                options = options with { Port = int.Parse(Value(), CultureInfo.InvariantCulture) };
                break;
            case "--http":
                options = options with { UseHttps = false };
                break;
            case "--token":
                options = options with { Token = Value() };
                break;
            case "--crds":
                options = options with { CrdDirectory = Value() };
                break;
            case "--kubeconfig":
                kubeconfig = Value();
                break;
            case "--namespace":
                kubeconfigNamespace = Value();
                break;
            case "--latency-ms":
                latency = Milliseconds();
                break;
            case "--write-latency-ms":
                writeLatency = Milliseconds();
                break;
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }
    catch (FormatException e)
    {
        await Console.Error.WriteLineAsync($"{e.Message}\n{Usage}");
        return 2;
    }
}

await using var server = await KubeApiServer.StartAsync(options);
server.Faults.SetLatency(latency);
server.Faults.SetWriteLatency(writeLatency);
if (kubeconfig is not null)
{
    kubeconfig = server.WriteKubeconfig(kubeconfig, kubeconfigNamespace);
}

Console.Out.WriteLine(server.BaseAddress.ToString().TrimEnd('/'));
await Console.Out.FlushAsync();
await Console.Error.WriteLineAsync(kubeconfig is null ? $"token: {server.Token}" : $"kubeconfig: {kubeconfig}");

var stopped = new TaskCompletionSource();
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
await stopped.Task;
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopped.TrySetResult();
}
