using System.Text.Json;

namespace Whereabouts.Controller.InstallCni;

/// <summary>
/// <c>whereabouts.d/whereabouts.conf</c>, the flat file every NetworkAttachmentDefinition's IPAM settings are merged
/// with: upstream's keys and meaning (Kubernetes datastore, <c>configuration_path</c> and the kubeconfig, both as the host
/// sees them). Upstream's <c>reconciler_cron_expression</c> is left out: the reclamation schedule here is the CronJob's
/// or <c>run --reconcile-schedule</c>, and a key nothing reads would only mislead whoever edits it. With a node agent,
/// <c>agent_socket</c> names its socket (as the host sees it); the kubeconfig stays, for the plugin's fallback.
/// </summary>
internal static class FlatFileDocument
{
    public static byte[] Render(string hostCniConfDir, string? agentSocket = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("datastore", "kubernetes");
            writer.WriteString("configuration_path", WhereaboutsPaths.ConfDirectory(hostCniConfDir));
            writer.WriteStartObject("kubernetes");
            writer.WriteString("kubeconfig", WhereaboutsPaths.Kubeconfig(hostCniConfDir));
            writer.WriteEndObject();
            if (agentSocket is not null)
            {
                writer.WriteString("agent_socket", agentSocket);
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
