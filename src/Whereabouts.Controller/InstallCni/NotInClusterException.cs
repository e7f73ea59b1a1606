namespace Whereabouts.Controller.InstallCni;

/// <summary>The process is not in a Kubernetes pod: no service-account token, or no API server address in the environment.</summary>
internal sealed class NotInClusterException : Exception
{
    public NotInClusterException(string message)
        : base(message)
    {
    }
}
