using System.Text.Json.Nodes;

namespace Whereabouts.Plugin.Tests.Support;

/// <summary>Network configurations for the tests: the seed's example IPAM settings on the file datastore.</summary>
internal static class NetConf
{
    public static JsonObject Ipam(string dataDir, string range = "192.168.20.0/24") => new()
    {
        ["type"] = "whereabouts",
        ["datastore"] = "file",
        ["data_dir"] = dataDir,
        ["range"] = range,
        ["gateway"] = "192.168.20.1",
        ["range_start"] = "192.168.20.2",
        ["range_end"] = "192.168.20.100",
        ["log_level"] = "debug",
    };

    /// <summary>The whereabouts plugin invoked directly (the IPAM config at the top level, as a delegating plugin passes it).</summary>
    public static string Direct(string dataDir, string version = "1.0.0", string name = "e2e-net", Action<JsonObject>? edit = null)
    {
        var ipam = Ipam(dataDir);
        edit?.Invoke(ipam);
        return new JsonObject
        {
            ["cniVersion"] = version,
            ["name"] = name,
            ["type"] = "macvlan",
            ["ipam"] = ipam,
        }.ToJsonString();
    }

    /// <summary>macvlan over <paramref name="master"/> delegating to whereabouts.</summary>
    public static string Macvlan(string master, string dataDir, string version = "1.0.0", string name = "e2e-macvlan", Action<JsonObject>? edit = null)
    {
        var ipam = Ipam(dataDir);
        edit?.Invoke(ipam);
        return new JsonObject
        {
            ["cniVersion"] = version,
            ["name"] = name,
            ["type"] = "macvlan",
            ["master"] = master,
            ["mode"] = "bridge",
            ["ipam"] = ipam,
        }.ToJsonString();
    }
}
