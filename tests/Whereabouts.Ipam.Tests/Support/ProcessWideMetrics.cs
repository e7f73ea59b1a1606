namespace Whereabouts.Ipam.Tests.Support;

/// <summary>The service's counters are process-wide, so tests that read them run alone.</summary>
[CollectionDefinition(nameof(ProcessWideMetrics), DisableParallelization = true)]
public sealed class ProcessWideMetrics;
