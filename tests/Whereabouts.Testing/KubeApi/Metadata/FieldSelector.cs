using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Metadata;

/// <summary>
/// A parsed <c>fieldSelector</c> (<c>f=v</c>, <c>f==v</c>, <c>f!=v</c>, comma-separated), checked
/// against the fields the resource supports as kube-apiserver checks them (400 otherwise).
/// </summary>
internal sealed class FieldSelector
{
    private sealed record Term(string Field, bool Equal, string Value);

    private readonly IReadOnlyList<Term> _terms;

    private FieldSelector(IReadOnlyList<Term> terms)
    {
        _terms = terms;
    }

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    public static FieldSelector Parse(string? text, ResourceDefinition resource)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<Term>();
        foreach (var part in SplitUnescaped(text, ','))
        {
            var (field, equal, value) = ParseTerm(part);
            if (field is not ("metadata.name" or "metadata.namespace") && resource.ExtraSelectableFields.All(f => f.Path != field))
            {
                throw ApiErrors.BadRequest($"field label not supported: {field}");
            }

            terms.Add(new Term(field, equal, value));
        }

        return new FieldSelector(terms);
    }

    /// <summary>The exact name this selector pins (<c>metadata.name=x</c>), if it does.</summary>
    public string? PinnedName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal)?.Value;

    public bool Matches(IReadOnlyDictionary<string, string> fields) =>
        _terms.All(t => fields.TryGetValue(t.Field, out var value) ? (value == t.Value) == t.Equal : !t.Equal);

    private static (string Field, bool Equal, string Value) ParseTerm(string term)
    {
        foreach (var (token, equal) in (ReadOnlySpan<(string, bool)>)[("!=", false), ("==", true), ("=", true)])
        {
            var index = IndexOfUnescaped(term, token);
            if (index > 0)
            {
                return (term[..index].Trim(), equal, Unescape(term[(index + token.Length)..]));
            }
        }

        throw ApiErrors.BadRequest($"invalid selector: '{term}'; can't understand '{term}'");
    }

    private static int IndexOfUnescaped(string text, string token)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static string Unescape(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            builder.Append(value[i]);
        }

        return builder.ToString();
    }
}
