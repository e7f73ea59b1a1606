namespace Whereabouts.Cni;

/// <summary>The <c>CNI_*</c> variables of one invocation, checked against what the command requires.</summary>
internal sealed record CniEnvironment(
    CniCommand Command,
    string ContainerId,
    string NetNs,
    string IfName,
    CniArgs Args,
    string CniPath)
{
    public const string CommandVariable = "CNI_COMMAND";
    private const string ContainerIdVariable = "CNI_CONTAINERID";
    private const string NetNsVariable = "CNI_NETNS";
    private const string IfNameVariable = "CNI_IFNAME";
    private const string ArgsVariable = "CNI_ARGS";
    private const string PathVariable = "CNI_PATH";

    /// <summary>
    /// Reads and validates the environment. Requirements are the spec's table rather than the Go skel's stricter one:
    /// CNI_PATH is required only for GC, and CNI_NETNS is optional on DEL. Every missing variable is reported at once.
    /// </summary>
    public static CniEnvironment Read(Func<string, string?> getenv, string command)
    {
        var cmd = ParseCommand(command);
        string Get(string name) => getenv(name) ?? "";

        var required = RequiredVariables(cmd);
        var missing = required.Where(name => Get(name).Length == 0).ToList();
        if (missing.Count > 0)
        {
            throw new CniException(
                CniErrorCodes.InvalidEnvironment,
                $"required env variables [{string.Join(',', missing)}] missing");
        }

        var containerId = Get(ContainerIdVariable);
        var ifName = Get(IfNameVariable);
        if (required.Contains(ContainerIdVariable))
        {
            CniNames.ValidateContainerId(containerId);
        }

        if (required.Contains(IfNameVariable))
        {
            CniNames.ValidateInterfaceName(ifName);
        }

        var args = cmd is CniCommand.Add or CniCommand.Del or CniCommand.Check ? CniArgs.Parse(Get(ArgsVariable)) : CniArgs.Empty;
        return new CniEnvironment(cmd, containerId, Get(NetNsVariable), ifName, args, Get(PathVariable));
    }

    public static CniCommand ParseCommand(string command) => command switch
    {
        "ADD" => CniCommand.Add,
        "DEL" => CniCommand.Del,
        "CHECK" => CniCommand.Check,
        "GC" => CniCommand.Gc,
        "STATUS" => CniCommand.Status,
        "VERSION" => CniCommand.Version,
        _ => throw new CniException(CniErrorCodes.InvalidEnvironment, $"unknown CNI_COMMAND: {command}"),
    };

    private static string[] RequiredVariables(CniCommand command) => command switch
    {
        CniCommand.Add or CniCommand.Check => [ContainerIdVariable, NetNsVariable, IfNameVariable],
        CniCommand.Del => [ContainerIdVariable, IfNameVariable],
        CniCommand.Gc => [PathVariable],
        _ => [],
    };
}
