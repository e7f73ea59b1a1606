using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Whereabouts.Cni;

/// <summary>
/// The CNI spec versions this library speaks, and the semantic comparisons that decide what each allows.
/// </summary>
public static class CniVersions
{
    /// <summary>The newest supported version: the VERSION answer when the caller names none.</summary>
    public const string Latest = "1.1.0";

    /// <summary>The version assumed when a configuration has no (or an empty) <c>cniVersion</c>.</summary>
    public const string Default = "0.1.0";

    /// <summary>Every version accepted in a configuration, oldest first.</summary>
    public static IReadOnlyList<string> Supported { get; } =
        Array.AsReadOnly(["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"]);

    private static readonly Version CheckIntroduced = new(0, 4, 0);
    private static readonly Version GcAndStatusIntroduced = new(1, 1, 0);
    private static readonly Version IpsIntroduced = new(0, 3, 0);
    private static readonly Version IpVersionFieldRemoved = new(1, 0, 0);

    /// <summary>
    /// Whether <paramref name="version"/> is exactly one of <see cref="Supported"/>. Like the reference library this is an
    /// ordinal match, so "1.1" is not accepted even though it compares equal to "1.1.0".
    /// </summary>
    public static bool IsSupported([NotNullWhen(true)] string? version) =>
        version is not null && Supported.Contains(version, StringComparer.Ordinal);

    /// <summary>
    /// Parses "major[.minor[.patch]]" (missing parts are 0); null or empty means <see cref="Default"/>.
    /// Returns false for anything else, including more than three parts or non-numeric parts.
    /// </summary>
    public static bool TryParse(string? version, [NotNullWhen(true)] out Version? parsed)
    {
        parsed = null;
        if (string.IsNullOrEmpty(version))
        {
            parsed = new Version(0, 1, 0);
            return true;
        }

        var parts = version.Split('.');
        if (parts.Length > 3)
        {
            return false;
        }

        Span<int> numbers = [0, 0, 0];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0
                || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        parsed = new Version(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>Semantic comparison; false when either side does not parse.</summary>
    public static bool IsAtLeast(string? version, string? minimum) =>
        TryParse(version, out var v) && TryParse(minimum, out var m) && v >= m;

    /// <summary>CHECK exists from spec 0.4.0.</summary>
    public static bool AllowsCheck(string? version) => AtLeast(version, CheckIntroduced);

    /// <summary>GC and STATUS exist from spec 1.1.0.</summary>
    public static bool AllowsGcAndStatus(string? version) => AtLeast(version, GcAndStatusIntroduced);

    /// <summary>Before 0.3.0 a result holds at most one address per family (<c>ip4</c>/<c>ip6</c>).</summary>
    public static bool SupportsMultipleIpsPerFamily(string? version) => AtLeast(version, IpsIntroduced);

    /// <summary>Results of 0.3.0 up to 0.4.0 carry <c>"version": "4"|"6"</c> in each <c>ips</c> entry.</summary>
    public static bool HasIpVersionField(string? version) =>
        TryParse(version, out var v) && v >= IpsIntroduced && v < IpVersionFieldRemoved;

    /// <summary>
    /// Throws the reference library's code-1 errors when the configuration version may not be used for
    /// <paramref name="command"/>. Gated verbs are checked semantically first, as the Go skel does, so an old
    /// version gets the more helpful "does not allow" message rather than "incompatible".
    /// </summary>
    internal static void EnsureAllowed(CniCommand command, string version)
    {
        var gate = command switch
        {
            CniCommand.Check => CheckIntroduced,
            CniCommand.Gc or CniCommand.Status => GcAndStatusIntroduced,
            _ => null,
        };
        if (gate is not null && TryParse(version, out var parsed))
        {
            var verb = command.ToString().ToUpperInvariant();
            if (parsed < gate)
            {
                throw new CniException(CniErrorCodes.IncompatibleVersion, $"config version does not allow {verb}");
            }

            if (!Supported.Any(s => TryParse(s, out var supported) && supported >= parsed))
            {
                throw new CniException(CniErrorCodes.IncompatibleVersion, $"plugin version does not allow {verb}");
            }
        }

        if (!IsSupported(version))
        {
            throw new CniException(
                CniErrorCodes.IncompatibleVersion,
                "incompatible CNI versions",
                $"config is {GoFormat.Quote(version)}, plugin supports {GoFormat.QuoteList(Supported)}");
        }
    }

    private static bool AtLeast(string? version, Version minimum) => TryParse(version, out var v) && v >= minimum;
}
