using System.Text;

namespace Whereabouts.Testing.KubeApi.Security;

/// <summary>Writes a kubeconfig that points a client at the test server with its token and CA.</summary>
internal static class KubeconfigWriter
{
    private const string Name = "whereabouts-test";

    public static string Render(Uri server, string token, string? authorityPem, string? namespaceName)
    {
        var builder = new StringBuilder();
        builder.AppendLine("apiVersion: v1");
        builder.AppendLine("kind: Config");
        builder.AppendLine("clusters:");
        builder.AppendLine($"- name: {Name}");
        builder.AppendLine("  cluster:");
        builder.AppendLine($"    server: {Quote(server.GetLeftPart(UriPartial.Authority))}");
        if (authorityPem is not null)
        {
            builder.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(authorityPem))}");
        }

        builder.AppendLine("users:");
        builder.AppendLine($"- name: {Name}");
        builder.AppendLine("  user:");
        builder.AppendLine($"    token: {Quote(token)}");
        builder.AppendLine("contexts:");
        builder.AppendLine($"- name: {Name}");
        builder.AppendLine("  context:");
        builder.AppendLine($"    cluster: {Name}");
        builder.AppendLine($"    user: {Name}");
        if (namespaceName is not null)
        {
            builder.AppendLine($"    namespace: {Quote(namespaceName)}");
        }

        builder.AppendLine($"current-context: {Name}");
        builder.AppendLine("preferences: {}");
        return builder.ToString();
    }

    /// <summary>A YAML double-quoted scalar, so tokens and URLs never need thought about YAML syntax.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
