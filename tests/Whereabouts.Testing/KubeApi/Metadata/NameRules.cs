using System.Text.RegularExpressions;

namespace Whereabouts.Testing.KubeApi.Metadata;

/// <summary>
/// The name checks of k8s.io/apimachinery/pkg/util/validation, with their exact messages.
/// </summary>
internal static partial class NameRules
{
    public const int DnsSubdomainMaxLength = 253;
    public const int DnsLabelMaxLength = 63;
    public const int LabelValueMaxLength = 63;
    public const int QualifiedNameMaxLength = 63;

    private const string DnsLabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string DnsSubdomainFormat = DnsLabelFormat + "(\\." + DnsLabelFormat + ")*";
    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFormat = "(" + QualifiedNameFormat + ")?";

    public static IEnumerable<string> DnsSubdomain(string value)
    {
        if (value.Length > DnsSubdomainMaxLength)
        {
            yield return MaxLength(DnsSubdomainMaxLength);
        }

        if (!DnsSubdomainRegex().IsMatch(value))
        {
            yield return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
                "and must start and end with an alphanumeric character " + Examples(DnsSubdomainFormat, "example.com");
        }
    }

    public static IEnumerable<string> DnsLabel(string value)
    {
        if (value.Length > DnsLabelMaxLength)
        {
            yield return MaxLength(DnsLabelMaxLength);
        }

        if (!DnsLabelRegex().IsMatch(value))
        {
            if (DnsSubdomainRegex().IsMatch(value))
            {
                // A valid subdomain that is not a label can only be wrong in its dots.
                yield return "must not contain dots";
                yield break;
            }

            yield return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
                "and must start and end with an alphanumeric character " + Examples(DnsLabelFormat, "my-name", "123-abc");
        }
    }

    /// <summary>
    /// ValidateObjectMeta's name check. For a <paramref name="prefix"/> (a generateName) the trailing
    /// '-' is masked exactly as kube-apiserver's maskTrailingDash does it: the last two characters
    /// become a single "a".
    /// </summary>
    public static IEnumerable<string> ObjectName(string value, bool prefix, bool dnsLabel)
    {
        if (prefix && value.Length > 1 && value[^1] == '-')
        {
            value = value[..^2] + "a";
        }

        return dnsLabel ? DnsLabel(value) : DnsSubdomain(value);
    }

    /// <summary>IsQualifiedName: an optional DNS-subdomain prefix and a name part (label and annotation keys).</summary>
    public static IEnumerable<string> QualifiedName(string value)
    {
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                {
                    yield return "prefix part must be non-empty";
                }
                else
                {
                    foreach (var message in DnsSubdomain(parts[0]))
                    {
                        yield return "prefix part " + message;
                    }
                }

                break;
            default:
                yield return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
                    Examples(QualifiedNameFormat, "MyName", "my.name", "123-abc") +
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
                yield break;
        }

        if (name.Length == 0)
        {
            yield return "name part must be non-empty";
        }
        else if (name.Length > QualifiedNameMaxLength)
        {
            yield return "name part " + MaxLength(QualifiedNameMaxLength);
        }

        if (!QualifiedNameRegex().IsMatch(name))
        {
            yield return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
                Examples(QualifiedNameFormat, "MyName", "my.name", "123-abc");
        }
    }

    public static IEnumerable<string> LabelValue(string value)
    {
        if (value.Length > LabelValueMaxLength)
        {
            yield return MaxLength(LabelValueMaxLength);
        }

        if (!LabelValueRegex().IsMatch(value))
        {
            yield return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
                "and must start and end with an alphanumeric character " + Examples(LabelValueFormat, "MyValue", "my_value", "12345");
        }
    }

    private static string MaxLength(int length) => $"must be no more than {length} characters";

    /// <summary>Go's RegexError text; examples are joined with ",  or " (two spaces) exactly as upstream does.</summary>
    private static string Examples(string format, params string[] examples) =>
        $"(e.g. {string.Join(",  or ", examples.Select(e => $"'{e}'"))}, regex used for validation is '{format}')";

    [GeneratedRegex("^" + DnsLabelFormat + "$")]
    private static partial Regex DnsLabelRegex();

    [GeneratedRegex("^" + DnsSubdomainFormat + "$")]
    private static partial Regex DnsSubdomainRegex();

    [GeneratedRegex("^" + QualifiedNameFormat + "$")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^" + LabelValueFormat + "$")]
    private static partial Regex LabelValueRegex();
}
