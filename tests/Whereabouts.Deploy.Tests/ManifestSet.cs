using System.Text.Json.Nodes;

namespace Whereabouts.Deploy.Tests;

/// <summary>The objects of one render, with the text they were parsed from.</summary>
internal sealed class ManifestSet
{
    public ManifestSet(string yaml)
    {
        Yaml = yaml;
        Objects = [.. YamlJson.LoadObjects(yaml).Select(o => new Manifest(o))];
    }

    public string Yaml { get; }

    public IReadOnlyList<Manifest> Objects { get; }

    public Manifest Single(string kind, string name)
    {
        var matches = Objects.Where(o => o.Kind == kind && o.Name == name).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {kind} {name}, found {matches.Count} among: {string.Join(", ", Objects)}");
    }

    public IEnumerable<Manifest> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public Manifest DaemonSet => Single("DaemonSet", "whereabouts");

    public Manifest CronJob => Single("CronJob", "ip-reconciler");

    public JsonNode DaemonSetPod => DaemonSet.Spec["template"]!["spec"]!;

    public JsonNode CronJobPod => CronJob.Spec["jobTemplate"]!["spec"]!["template"]!["spec"]!;
}
