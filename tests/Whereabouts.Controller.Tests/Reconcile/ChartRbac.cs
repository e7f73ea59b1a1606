using YamlDotNet.RepresentationModel;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary>
/// The permissions the Helm chart grants the whereabouts service account, read from its ClusterRole and Role templates,
/// so the controller is tested with exactly what a cluster gives it and a verb it newly needs fails here first.
/// </summary>
internal static class ChartRbac
{
    public static IReadOnlyList<KubeApiAccessRule> Rules(string @namespace)
    {
        var templates = Path.Join(RepositoryRoot(), "deploy", "helm", "whereabouts", "templates");
        return
        [
            .. RulesOf(Path.Join(templates, "clusterrole.yaml"), "ClusterRole", null),
            .. RulesOf(Path.Join(templates, "role.yaml"), "Role", [@namespace]),
        ];
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Join(directory.FullName, "deploy", "helm", "whereabouts")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no deploy/helm/whereabouts above {AppContext.BaseDirectory}");
    }

    private static IEnumerable<KubeApiAccessRule> RulesOf(string path, string kind, IReadOnlyList<string>? namespaces)
    {
        // Template lines ({{ ... }}) only wrap or label the objects; the rules are plain YAML.
        var text = string.Join('\n', File.ReadAllLines(path).Where(l => !l.Contains("{{", StringComparison.Ordinal)));
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var documents = yaml.Documents.Select(d => (YamlMappingNode)d.RootNode)
            .Where(d => d.Children.TryGetValue(new YamlScalarNode("kind"), out var k) && ((YamlScalarNode)k).Value == kind)
            .ToList();
        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            foreach (YamlMappingNode rule in (YamlSequenceNode)document.Children[new YamlScalarNode("rules")])
            {
                yield return new KubeApiAccessRule(List(rule, "verbs"), List(rule, "apiGroups"), List(rule, "resources"), namespaces);
            }
        }
    }

    private static string[] List(YamlMappingNode rule, string key) =>
        [.. ((YamlSequenceNode)rule.Children[new YamlScalarNode(key)]).Select(n => ((YamlScalarNode)n).Value ?? string.Empty)];
}
