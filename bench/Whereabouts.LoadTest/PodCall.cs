namespace Whereabouts.LoadTest;

/// <summary>One CNI call for pod <c>default/&lt;Pod&gt;</c> on a simulated node.</summary>
internal sealed record PodCall(string Command, string ContainerId, string Pod, string Node);
