namespace Whereabouts.Testing.KubeApi.Status;

/// <summary>A metav1.StatusCause.</summary>
internal sealed record StatusCause(string? Reason, string Message, string? Field);
