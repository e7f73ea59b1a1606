namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>The parts of metav1.DeleteOptions the server acts on.</summary>
internal sealed record DeleteOptions(long? GracePeriodSeconds = null, string? PreconditionUid = null, string? PreconditionResourceVersion = null)
{
    public static DeleteOptions Default { get; } = new();
}
