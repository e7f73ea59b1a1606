namespace Whereabouts.Cni;

/// <summary>One validated invocation: the environment and the parts of stdin the protocol defines.</summary>
/// <remarks>
/// Environment values are empty strings when the variable was absent and not required for the command.
/// The plugin's own settings (the <c>ipam</c> section) are not interpreted here; read them from <see cref="Config"/>.
/// </remarks>
public sealed record CniRequest
{
    /// <summary>The verb.</summary>
    public required CniCommand Command { get; init; }

    /// <summary><c>CNI_CONTAINERID</c>.</summary>
    public string ContainerId { get; init; } = "";

    /// <summary><c>CNI_NETNS</c>; may be empty on DEL.</summary>
    public string NetNs { get; init; } = "";

    /// <summary><c>CNI_IFNAME</c>.</summary>
    public string IfName { get; init; } = "";

    /// <summary>Parsed <c>CNI_ARGS</c> (ADD, DEL, CHECK); empty for other verbs.</summary>
    public CniArgs Args { get; init; } = CniArgs.Empty;

    /// <summary><c>CNI_PATH</c>, unsplit.</summary>
    public string CniPath { get; init; } = "";

    /// <summary>The configuration's <c>cniVersion</c>, or <see cref="CniVersions.Default"/> when missing or empty.</summary>
    public string CniVersion { get; init; } = CniVersions.Default;

    /// <summary>The configuration's <c>name</c>, already validated.</summary>
    public string NetworkName { get; init; } = "";

    /// <summary>The raw stdin, untouched: the whole network configuration of the calling plugin.</summary>
    public ReadOnlyMemory<byte> Config { get; init; }

    /// <summary>
    /// <c>prevResult</c> in whichever shape it came, or null when absent or null. On DEL an unreadable
    /// <c>prevResult</c> is also null, because DEL must not fail over it.
    /// </summary>
    public CniResult? PrevResult { get; init; }

    /// <summary><c>runtimeConfig.ips</c> (the <c>ips</c> capability), unvalidated.</summary>
    public IReadOnlyList<string> RuntimeConfigIps { get; init; } = [];

    /// <summary><c>args.cni.ips</c>, unvalidated.</summary>
    public IReadOnlyList<string> ArgsCniIps { get; init; } = [];

    /// <summary>
    /// GC only: the union of <c>cni.dev/valid-attachments</c> and <c>cni.dev/attachments</c> (libcni sends both);
    /// empty when both are absent or null, which means nothing is to be kept.
    /// </summary>
    public IReadOnlyList<CniAttachment> ValidAttachments { get; init; } = [];
}
