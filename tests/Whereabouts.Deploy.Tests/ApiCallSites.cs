using System.Text.RegularExpressions;

namespace Whereabouts.Deploy.Tests;

/// <summary>
/// The Kubernetes API permissions the product's code asks for, derived from its source: every place that names a
/// request (<c>new KubeRequest("verb", …)</c>, the typed client's <c>Request("verb", WhereaboutsApi.X …)</c> and
/// its generic get/create/list/watch helpers, the Lease lock's <c>Request("verb")</c>), kept only when the method around it
/// is called from somewhere else in <c>src/</c>, so a client method nobody uses grants nothing.
/// </summary>
internal static partial class ApiCallSites
{
    private static readonly Dictionary<string, string> Resources = new(StringComparer.Ordinal)
    {
        ["IPPools"] = "whereabouts.cni.cncf.io/ippools",
        ["OverlappingRangeIPReservations"] = "whereabouts.cni.cncf.io/overlappingrangeipreservations",
        ["NodeSlicePools"] = "whereabouts.cni.cncf.io/nodeslicepools",
        ["NetworkPlural"] = "k8s.cni.cncf.io/network-attachment-definitions",
        ["\"pods\""] = "core/pods",
        ["\"events\""] = "core/events",
        ["\"nodes\""] = "core/nodes",
    };

    /// <summary>Each permission as <c>group/resource:verb</c>, with the call sites that need it (<c>File.cs: Method</c>).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Find(string sourceRoot)
    {
        var files = Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(static f => f, File.ReadAllText);
        var found = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            foreach (var (permission, index) in Requests(path, text))
            {
                var method = EnclosingMethod(text, index);
                if (method is null || !IsCalled(method, files))
                {
                    continue;
                }

                var site = $"{Path.GetFileName(path)}: {method}";
                found[permission] = found.TryGetValue(permission, out var sites) ? [.. sites, site] : [site];
            }
        }

        return found;
    }

    private static IEnumerable<(string Permission, int Index)> Requests(string path, string text)
    {
        foreach (Match m in KubeRequest().Matches(text))
        {
            yield return (Permission(m.Groups["resource"].Value, m.Groups["verb"].Value), m.Index);
        }

        foreach (Match m in TypedRequest().Matches(text))
        {
            yield return (Permission(m.Groups["resource"].Value, m.Groups["verb"].Value), m.Index);
        }

        foreach (Match m in GenericHelper().Matches(text))
        {
            yield return (Permission(m.Groups["resource"].Value, m.Groups["helper"].Value.ToLowerInvariant()), m.Index);
        }

        if (Path.GetFileName(path) == "LeaseLock.cs")
        {
            foreach (Match m in LeaseRequest().Matches(text))
            {
                yield return ($"coordination.k8s.io/leases:{m.Groups["verb"].Value}", m.Index);
            }
        }
    }

    private static string Permission(string resource, string verb) =>
        Resources.TryGetValue(resource, out var qualified)
            ? $"{qualified}:{verb}"
            : throw new InvalidOperationException($"a request names resource {resource}, which this test does not know: add it to {nameof(Resources)}");

    /// <summary>The name of the method whose body holds <paramref name="index"/>.</summary>
    private static string? EnclosingMethod(string text, int index)
    {
        string? name = null;
        foreach (Match m in MethodDeclaration().Matches(text[..index]))
        {
            name = m.Groups["name"].Value;
        }

        return name;
    }

    /// <summary>True when <paramref name="method"/> is named (called or handed on as a delegate) outside declarations and comments.</summary>
    private static bool IsCalled(string method, Dictionary<string, string> files)
    {
        var name = new Regex($@"\b{Regex.Escape(method)}\b", RegexOptions.CultureInvariant);
        return files.Values.Any(text => name.Matches(text).Any(m => !IsDeclarationOrComment(text, m.Index)));
    }

    private static bool IsDeclarationOrComment(string text, int index)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var prefix = text[lineStart..index];
        return prefix.TrimStart().StartsWith("//", StringComparison.Ordinal) || DeclarationPrefix().IsMatch(prefix);
    }

    [GeneratedRegex(@"new KubeRequest\(""(?<verb>[a-z]+)"", (?<resource>""[a-z-]+""|NetworkPlural)")]
    private static partial Regex KubeRequest();

    [GeneratedRegex(@"Request\(""(?<verb>[a-z]+)"",\s*WhereaboutsApi\.(?<resource>\w+)")]
    private static partial Regex TypedRequest();

    [GeneratedRegex(@"(?<helper>Get|Create|List|Watch)Async(<[^>]+>)?\(\s*WhereaboutsApi\.(?<resource>\w+)")]
    private static partial Regex GenericHelper();

    [GeneratedRegex(@"Request\(""(?<verb>[a-z]+)""\)")]
    private static partial Regex LeaseRequest();

    [GeneratedRegex(@"^[ \t]*(public|internal|private|protected)\b[^\n;=]*?\b(?<name>\w+)(<[^>\n]+>)?\(", RegexOptions.Multiline)]
    private static partial Regex MethodDeclaration();

    [GeneratedRegex(@"^\s*(public|internal|private|protected)\b[^=(]*$")]
    private static partial Regex DeclarationPrefix();
}
