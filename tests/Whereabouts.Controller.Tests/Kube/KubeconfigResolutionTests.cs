using Whereabouts.Controller.Kube;

namespace Whereabouts.Controller.Tests.Kube;

/// <summary>kubectl's order: the flag, the first file of $KUBECONFIG, ~/.kube/config when it exists, then in-cluster (null).</summary>
public sealed class KubeconfigResolutionTests
{
    [Theory]
    [InlineData("/flag", "/env1:/env2", "/home/u", true, "/flag")]
    [InlineData(" /flag ", null, null, false, "/flag")]
    [InlineData(null, "/env1:/env2", "/home/u", true, "/env1")]
    [InlineData(null, ":/env2", "/home/u", true, "/env2")]
    [InlineData("", "/env1", null, false, "/env1")]
    [InlineData(null, "", "/home/u", true, "/home/u/.kube/config")]
    [InlineData(null, null, "/home/u", false, null)]
    [InlineData(null, null, null, true, null)]
    public void Resolve_TakesTheFirstThatApplies(string? flag, string? variable, string? home, bool homeConfigExists, string? expected)
    {
        var environment = new Dictionary<string, string?> { ["KUBECONFIG"] = variable, ["HOME"] = home };

        var resolved = KubeconfigResolution.Resolve(flag, name => environment.GetValueOrDefault(name), path => homeConfigExists && path == "/home/u/.kube/config");

        Assert.Equal(expected, resolved);
    }
}
