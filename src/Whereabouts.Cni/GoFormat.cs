using System.Globalization;
using System.Text;

namespace Whereabouts.Cni;

/// <summary>
/// Go's <c>%q</c> formatting, because runtimes and tests match the reference library's messages
/// (<c>ARGS: invalid pair "x"</c>, <c>unknown args ["a=b" "c=d"]</c>) byte for byte.
/// </summary>
internal static class GoFormat
{
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            _ = rune.Value switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\a' => builder.Append("\\a"),
                '\b' => builder.Append("\\b"),
                '\f' => builder.Append("\\f"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                '\v' => builder.Append("\\v"),
                < 0x20 or 0x7f => builder.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}"),
                _ => builder.Append(rune.ToString()),
            };
        }

        return builder.Append('"').ToString();
    }

    public static string QuoteList(IEnumerable<string> values) => "[" + string.Join(' ', values.Select(Quote)) + "]";
}
