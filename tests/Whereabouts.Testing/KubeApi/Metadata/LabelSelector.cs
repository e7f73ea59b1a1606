using System.Globalization;
using Whereabouts.Testing.KubeApi.Status;

namespace Whereabouts.Testing.KubeApi.Metadata;

/// <summary>
/// A parsed <c>labelSelector</c> with the full syntax of k8s.io/apimachinery/pkg/labels:
/// <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>,
/// <c>!k</c>, <c>k&gt;n</c> and <c>k&lt;n</c>, comma-separated (all must hold).
/// </summary>
internal sealed class LabelSelector
{
    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements)
    {
        _requirements = requirements;
    }

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        return new LabelSelector([.. SplitTopLevel(text).Select(ParseRequirement)]);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => Matches(r, labels));

    private static bool Matches(Requirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        return requirement.Op switch
        {
            Operator.Equals or Operator.In => present && requirement.Values.Contains(value!, StringComparer.Ordinal),
            Operator.NotEquals or Operator.NotIn => !present || !requirement.Values.Contains(value!, StringComparer.Ordinal),
            Operator.Exists => present,
            Operator.DoesNotExist => !present,
            Operator.GreaterThan => present && long.TryParse(value, CultureInfo.InvariantCulture, out var gt) && gt > long.Parse(requirement.Values[0], CultureInfo.InvariantCulture),
            Operator.LessThan => present && long.TryParse(value, CultureInfo.InvariantCulture, out var lt) && lt < long.Parse(requirement.Values[0], CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseRequirement(string raw)
    {
        var text = raw.Trim();
        if (text.Length == 0)
        {
            throw Error(raw, "found '', expected: !, identifier, or 'end of string'");
        }

        if (text[0] == '!')
        {
            return Build(text[1..].Trim(), Operator.DoesNotExist, [], raw);
        }

        foreach (var (token, op) in (ReadOnlySpan<(string, Operator)>)[("==", Operator.Equals), ("!=", Operator.NotEquals), ("=", Operator.Equals), (">", Operator.GreaterThan), ("<", Operator.LessThan)])
        {
            var index = text.IndexOf(token, StringComparison.Ordinal);
            if (index > 0)
            {
                return Build(text[..index].Trim(), op, [text[(index + token.Length)..].Trim()], raw);
            }
        }

        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 1)
        {
            return Build(parts[0], Operator.Exists, [], raw);
        }

        var rest = parts[1];
        var setOp = rest.StartsWith("notin", StringComparison.Ordinal) ? Operator.NotIn
            : rest.StartsWith("in", StringComparison.Ordinal) ? Operator.In
            : throw Error(raw, $"found '{rest}', expected: in, notin, =, ==, !=, gt, lt");
        var set = rest[(setOp == Operator.In ? 2 : 5)..].Trim();
        if (set.Length < 2 || set[0] != '(' || set[^1] != ')')
        {
            throw Error(raw, "found '" + set + "', expected: '(' ... ')'");
        }

        var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries);
        return Build(parts[0], setOp, [.. values], raw);
    }

    private static Requirement Build(string key, Operator op, IReadOnlyList<string> values, string raw)
    {
        var keyErrors = NameRules.QualifiedName(key).ToList();
        if (keyErrors.Count > 0)
        {
            throw Error(raw, $"key: Invalid value: {FieldError.GoQuote(key)}: {keyErrors[0]}");
        }

        if (op is Operator.GreaterThan or Operator.LessThan)
        {
            if (!long.TryParse(values[0], CultureInfo.InvariantCulture, out _))
            {
                throw Error(raw, $"for 'Gt', 'Lt' operators, the value must be an integer");
            }

            return new Requirement(key, op, values);
        }

        foreach (var value in values)
        {
            var valueErrors = NameRules.LabelValue(value).ToList();
            if (valueErrors.Count > 0)
            {
                throw Error(raw, $"values[0][{key}]: Invalid value: {FieldError.GoQuote(value)}: {valueErrors[0]}");
            }
        }

        return new Requirement(key, op, values);
    }

    private static KubeStatusException Error(string raw, string detail) =>
        ApiErrors.BadRequest($"unable to parse requirement: {detail} in {FieldError.GoQuote(raw)}");
}
