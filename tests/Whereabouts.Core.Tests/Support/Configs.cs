using System.Text;
using Whereabouts.Core.Allocation;
using Whereabouts.Core.Config;

namespace Whereabouts.Core.Tests.Support;

/// <summary>Builds network configurations and reads them the way the plugin does.</summary>
internal static class Configs
{
    public const string Kubeconfig = "/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig";

    /// <summary>Reading without a flat file and without datastore checks: the range rules alone.</summary>
    public static IpamConfigReadOptions RangesOnly { get; } = new() { RequireDatastore = false };

    /// <summary>A single-plugin network configuration (ipvlan, as in the package's example) around an ipam body.</summary>
    public static string Network(string ipamBody, string name = "mynet", string cniVersion = "0.3.1") =>
        $$$"""{"cniVersion":"{{{cniVersion}}}","name":"{{{name}}}","type":"ipvlan","master":"eth0","ipam":{"type":"whereabouts",{{{ipamBody}}}}}""";

    public static IpamConfigReadResult Read(string json, IpamConfigReadOptions? options = null) =>
        IpamConfigReader.Read(Encoding.UTF8.GetBytes(json), options ?? RangesOnly);

    public static IpamConfigReadResult ReadIpam(string ipamBody, IpamConfigReadOptions? options = null) =>
        Read(Network(ipamBody), options);

    /// <summary>Reads a configuration that must be valid, failing the test with every error otherwise.</summary>
    public static IpamConfig Valid(string ipamBody, IpamConfigReadOptions? options = null)
    {
        var result = ReadIpam(ipamBody, options);
        Assert.True(result.Config is not null, "unexpected errors: " + result.ErrorSummary);
        return result.Config;
    }

    /// <summary>The first range of a valid configuration, ready to allocate from.</summary>
    public static AllocationRange FirstRange(string ipamBody)
    {
        var config = Valid(ipamBody);
        return AllocationRange.Create(config.Ranges[0], config.Gateway);
    }

    public static ConfigIssue SingleError(IpamConfigReadResult result)
    {
        Assert.Null(result.Config);
        return Assert.Single(result.Errors);
    }
}
