using Whereabouts.Plugin;

// The whole call runs on this thread: stdin is read up front and stdout written at the end, synchronously, so no
// thread-pool thread is ever started for a call that lasts a few milliseconds. SIGTERM keeps its default action;
// every datastore write is atomic, so dying mid-call leaves the datastore consistent.
using var stdin = StandardStreams.ReadStdin();
using var stdout = new MemoryStream();
using var stderr = StandardStreams.OpenStderr();
var exitCode = PluginHost.RunAsync(Environment.GetEnvironmentVariable, stdin, stdout, stderr, CancellationToken.None).GetAwaiter().GetResult();
StandardStreams.WriteStdout(stdout);
return exitCode;
