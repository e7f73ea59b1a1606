namespace Whereabouts.Controller.InstallCni;

/// <summary>The parsed <c>install-cni</c> command line.</summary>
/// <param name="CniBinDir">The host's CNI binary directory as mounted here; the plugin goes to <c>&lt;dir&gt;/whereabouts</c>.</param>
/// <param name="CniConfDir">The host's CNI configuration directory as mounted here; files go to <c>&lt;dir&gt;/whereabouts.d/</c>.</param>
/// <param name="HostCniConfDir">The same configuration directory as the host sees it, for the paths written into the files.</param>
/// <param name="PluginSource">The plugin executable to install.</param>
/// <param name="ServiceAccountDir">This pod's service-account directory (token, ca.crt).</param>
/// <param name="Namespace">The namespace written into the kubeconfig context: where the plugin keeps its pools.</param>
/// <param name="Node">This node's name for the <c>nodename</c> file; null skips the file.</param>
/// <param name="SkipTlsVerify">Write <c>insecure-skip-tls-verify: true</c> instead of the CA.</param>
/// <param name="Watch">Keep running and rewrite the kubeconfig when the token or CA rotates.</param>
/// <param name="AgentSocket">The node agent's socket as the host sees it, written to the flat file as <c>agent_socket</c>; null: no agent.</param>
internal sealed record InstallCniOptions(
    string CniBinDir,
    string CniConfDir,
    string HostCniConfDir,
    string PluginSource,
    string ServiceAccountDir,
    string Namespace,
    string? Node,
    bool SkipTlsVerify,
    bool Watch,
    string? AgentSocket = null);
