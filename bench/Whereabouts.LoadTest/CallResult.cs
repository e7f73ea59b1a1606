namespace Whereabouts.LoadTest;

/// <summary>How one plugin process ended, and how long it took from start to exit.</summary>
internal sealed record CallResult(PodCall Call, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);
