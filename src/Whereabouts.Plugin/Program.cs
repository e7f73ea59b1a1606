using System.Runtime.InteropServices;
using Whereabouts.Plugin;

using var cancellation = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

// VERSION echoes stdin's cniVersion; do not wait on an interactive terminal.
var stdin = Console.IsInputRedirected ? Console.OpenStandardInput() : Stream.Null;
return await PluginHost.RunAsync(Environment.GetEnvironmentVariable, stdin, Console.OpenStandardOutput(), Console.Error, cancellation.Token);
