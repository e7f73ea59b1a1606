using System.Runtime.InteropServices;
using Whereabouts.Controller.Cli;

// The only code that touches the process: its environment, streams and signals. The first SIGTERM (the kubelet stopping
// the pod) or SIGINT cancels the token and each command decides what stopping means (install-cni --watch exits 0); a
// second one takes the default action, so a command stuck past cancellation can still be stopped.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
var environment = new CliEnvironment(Environment.GetEnvironmentVariable, Console.Out, Console.Error, TimeProvider.System);
return await CommandLine.RunAsync(args, environment, stop.Token);
