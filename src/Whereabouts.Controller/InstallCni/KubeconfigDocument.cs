using System.Globalization;
using System.Text;

namespace Whereabouts.Controller.InstallCni;

/// <summary>
/// The plugin's kubeconfig, laid out as upstream's install-cni writes it (comment line, cluster <c>local</c>, user
/// <c>whereabouts</c>, context <c>whereabouts-context</c> with the namespace). Values taken from outside are written as
/// YAML double-quoted scalars, so no token or address can break out of its field.
/// </summary>
internal static class KubeconfigDocument
{
    public const string Header = "# Kubeconfig file for the Whereabouts CNI plugin.";
    public const string ClusterName = "local";
    public const string UserName = "whereabouts";
    public const string ContextName = "whereabouts-context";

    /// <summary>The line that marks a kubeconfig written without TLS verification.</summary>
    public const string SkipTlsVerifyLine = "    insecure-skip-tls-verify: true";

    /// <param name="server">The API server URL (<see cref="ClusterEndpoint"/>).</param>
    /// <param name="namespace">The context namespace: where the plugin keeps its pools.</param>
    /// <param name="credentials">Token and CA; a null CA writes <c>insecure-skip-tls-verify: true</c>.</param>
    public static string Render(string server, string @namespace, ServiceAccountCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var tls = credentials.CertificateAuthorityData is { } ca
            ? $"    certificate-authority-data: {Quote(ca)}"
            : SkipTlsVerifyLine;
        return string.Create(CultureInfo.InvariantCulture, $"""
            {Header}
            apiVersion: v1
            kind: Config
            clusters:
            - name: {ClusterName}
              cluster:
                server: {Quote(server)}
            {tls}
            users:
            - name: {UserName}
              user:
                token: {Quote(credentials.Token)}
            contexts:
            - name: {ContextName}
              context:
                cluster: {ClusterName}
                user: {UserName}
                namespace: {Quote(@namespace)}
            current-context: {ContextName}

            """);
    }

    /// <summary>A YAML double-quoted scalar: backslash and quote escaped, control and line-break characters as escapes.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ' or '\u007f' or (>= '\u0080' and <= '\u009f'):
                    builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    break;
                case '\u2028' or '\u2029' or '\ufeff':
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default: builder.Append(c); break;
            }
        }

        return builder.Append('"').ToString();
    }
}
