using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Whereabouts.Controller.InstallCni;

/// <summary>
/// The API server address the kubelet gives every pod: <c>KUBERNETES_SERVICE_PROTOCOL</c> (default https),
/// <c>KUBERNETES_SERVICE_HOST</c> (an IPv6 literal is bracketed) and <c>KUBERNETES_SERVICE_PORT</c>.
/// </summary>
internal static class ClusterEndpoint
{
    public const string HostVariable = "KUBERNETES_SERVICE_HOST";
    public const string PortVariable = "KUBERNETES_SERVICE_PORT";
    public const string ProtocolVariable = "KUBERNETES_SERVICE_PROTOCOL";

    /// <summary>The server URL for the kubeconfig, e.g. <c>https://[fd00::1]:443</c>.</summary>
    /// <exception cref="NotInClusterException">Host or port is not set.</exception>
    /// <exception cref="FormatException">A variable is set to something unusable.</exception>
    public static string ServerFromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var host = getEnvironmentVariable(HostVariable)?.Trim();
        var port = getEnvironmentVariable(PortVariable)?.Trim();
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new NotInClusterException($"{HostVariable} and {PortVariable} are not set: not running in a Kubernetes pod");
        }

        var protocol = getEnvironmentVariable(ProtocolVariable)?.Trim();
        protocol = string.IsNullOrEmpty(protocol) ? "https" : protocol;
        if (protocol is not ("https" or "http"))
        {
            throw new FormatException($"{ProtocolVariable}='{protocol}' is neither https nor http");
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new FormatException($"{PortVariable}='{port}' is not a port number");
        }

        if (host.Any(c => char.IsWhiteSpace(c) || c is '/' or '@' or '?' or '#' or '"'))
        {
            throw new FormatException($"{HostVariable}='{host}' is not a host name or address");
        }

        if (IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 && !host.StartsWith('['))
        {
            host = $"[{host}]";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{protocol}://{host}:{portNumber}");
    }
}
