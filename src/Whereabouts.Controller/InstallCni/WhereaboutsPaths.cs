namespace Whereabouts.Controller.InstallCni;

/// <summary>
/// The file names users and the plugin rely on, as upstream's install-cni lays them out: the plugin at
/// <c>&lt;bin&gt;/whereabouts</c>, and <c>whereabouts.conf</c>, <c>whereabouts.kubeconfig</c> and <c>nodename</c> in
/// <c>&lt;conf&gt;/whereabouts.d/</c>.
/// </summary>
internal static class WhereaboutsPaths
{
    public const string PluginFileName = "whereabouts";
    public const string ConfDirectoryName = "whereabouts.d";
    public const string FlatFileName = "whereabouts.conf";
    public const string KubeconfigFileName = "whereabouts.kubeconfig";
    public const string NodeNameFileName = "nodename";

    public static string ConfDirectory(string cniConfDir) => Path.Join(cniConfDir, ConfDirectoryName);

    public static string FlatFile(string cniConfDir) => Path.Join(ConfDirectory(cniConfDir), FlatFileName);

    public static string Kubeconfig(string cniConfDir) => Path.Join(ConfDirectory(cniConfDir), KubeconfigFileName);

    public static string NodeNameFile(string cniConfDir) => Path.Join(ConfDirectory(cniConfDir), NodeNameFileName);

    public static string Plugin(string cniBinDir) => Path.Join(cniBinDir, PluginFileName);
}
