using System.Globalization;

namespace Whereabouts.Testing.KubeApi.Status;

/// <summary>
/// One field-level validation error, rendered exactly as k8s.io/apimachinery's <c>field.Error</c>
/// renders it (<c>ErrorBody</c>) so that messages and <c>details.causes</c> match kube-apiserver.
/// </summary>
/// <param name="RenderedValue">The bad value as Go prints it (quoted for strings), or null when the error type omits it.</param>
internal sealed record FieldError(FieldErrorType Type, string Field, string? RenderedValue, string Detail)
{
    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, null, detail);

    public static FieldError Invalid(string field, string? value, string detail) =>
        new(FieldErrorType.Invalid, field, value is null ? "null" : GoQuote(value), detail);

    /// <summary>An invalid value that Go prints without quotes (numbers, or <c>0x0</c> for a uint64 zero).</summary>
    public static FieldError InvalidRaw(string field, string renderedValue, string detail) =>
        new(FieldErrorType.Invalid, field, renderedValue, detail);

    public static FieldError TypeInvalid(string field, string valueType, string detail) =>
        new(FieldErrorType.TypeInvalid, field, GoQuote(valueType), detail);

    public static FieldError NotSupported(string field, string? value, IEnumerable<string> supported) =>
        new(FieldErrorType.NotSupported, field, value is null ? "null" : GoQuote(value),
            "supported values: " + string.Join(", ", supported.Select(GoQuote)));

    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, null, detail);

    public static FieldError TooLong(string field, int maxBytes) =>
        new(FieldErrorType.TooLong, field, null, string.Create(CultureInfo.InvariantCulture, $"may not be more than {maxBytes} bytes"));

    public string Reason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        _ => "FieldValueInvalid",
    };

    private string TypeText => Type switch
    {
        FieldErrorType.Required => "Required value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooLong => "Too long",
        FieldErrorType.TooMany => "Too many",
        _ => "Invalid value",
    };

    /// <summary>The message without the field path (the <c>message</c> of a status cause).</summary>
    public string Body
    {
        get
        {
            var body = RenderedValue is null ? TypeText : $"{TypeText}: {RenderedValue}";
            return Detail.Length == 0 ? body : $"{body}: {Detail}";
        }
    }

    public override string ToString() => $"{Field}: {Body}";

    /// <summary>Quotes a string as Go's <c>%q</c> does for the strings this server handles.</summary>
    public static string GoQuote(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }
}
