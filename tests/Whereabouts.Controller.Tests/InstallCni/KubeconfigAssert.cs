using System.Text;
using k8s;
using YamlDotNet.RepresentationModel;

namespace Whereabouts.Controller.Tests.InstallCni;

/// <summary>
/// Reads a kubeconfig twice: with the Kubernetes client the plugin uses, and as a plain YAML tree that must have exactly
/// upstream's shape (one cluster, one user, one context; nothing a value could have smuggled in).
/// </summary>
internal static class KubeconfigAssert
{
    public static ParsedKubeconfig Load(string path)
    {
        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), useRelativePaths: false);
        var cluster = Assert.Single(config.Clusters);
        var user = Assert.Single(config.Users);
        var context = Assert.Single(config.Contexts);
        Assert.Equal("local", cluster.Name);
        Assert.Equal("whereabouts", user.Name);
        Assert.Equal("whereabouts-context", context.Name);
        Assert.Equal("whereabouts-context", config.CurrentContext);
        Assert.Equal("local", context.ContextDetails.Cluster);
        Assert.Equal("whereabouts", context.ContextDetails.User);

        var tree = StrictTree(File.ReadAllText(path));
        Assert.Equal(user.UserCredentials.Token, tree.Token);

        var caData = cluster.ClusterEndpoint.CertificateAuthorityData;
        return new ParsedKubeconfig(
            cluster.ClusterEndpoint.Server,
            caData is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(caData)),
            cluster.ClusterEndpoint.SkipTlsVerify,
            user.UserCredentials.Token,
            context.ContextDetails.Namespace);
    }

    /// <summary>Parses <paramref name="text"/> as YAML and checks every key of upstream's layout, and no other.</summary>
    public static (string Token, string Namespace) StrictTree(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
        Assert.Equal(["apiVersion", "kind", "clusters", "users", "contexts", "current-context"], Keys(root));
        var cluster = (YamlMappingNode)Assert.Single((YamlSequenceNode)root["clusters"]);
        Assert.Equal(["name", "cluster"], Keys(cluster));
        var clusterKeys = Keys((YamlMappingNode)cluster["cluster"]);
        Assert.True(clusterKeys.SequenceEqual(["server", "certificate-authority-data"]) || clusterKeys.SequenceEqual(["server", "insecure-skip-tls-verify"]));
        var user = (YamlMappingNode)Assert.Single((YamlSequenceNode)root["users"]);
        Assert.Equal(["name", "user"], Keys(user));
        var credentials = (YamlMappingNode)user["user"];
        Assert.Equal(["token"], Keys(credentials));
        var context = (YamlMappingNode)Assert.Single((YamlSequenceNode)root["contexts"]);
        var details = (YamlMappingNode)context["context"];
        Assert.Equal(["cluster", "user", "namespace"], Keys(details));
        return (((YamlScalarNode)credentials["token"]).Value!, ((YamlScalarNode)details["namespace"]).Value!);
    }

    private static List<string> Keys(YamlMappingNode node) => node.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
}

internal sealed record ParsedKubeconfig(string Server, string? CaText, bool SkipTlsVerify, string Token, string Namespace);
