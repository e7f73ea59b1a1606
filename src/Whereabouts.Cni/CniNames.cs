using System.Text;

namespace Whereabouts.Cni;

/// <summary>
/// The reference library's validators for container IDs, interface names and network names, with its codes and
/// messages (<c>pkg/utils/utils.go</c>).
/// </summary>
internal static class CniNames
{
    /// <summary>Linux IFNAMSIZ (16) minus the terminating NUL.</summary>
    public const int MaxInterfaceNameBytes = 15;

    public static void ValidateContainerId(string containerId)
    {
        if (!IsValidIdentifier(containerId))
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, "invalid characters in containerID", containerId);
        }
    }

    public static void ValidateInterfaceName(string ifName)
    {
        if (ifName.Length == 0)
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, "interface name is empty");
        }

        if (Encoding.UTF8.GetByteCount(ifName) > MaxInterfaceNameBytes)
        {
            throw new CniException(
                CniErrorCodes.InvalidEnvironment,
                "interface name is too long",
                $"interface name should be less than {MaxInterfaceNameBytes + 1} characters");
        }

        if (ifName is "." or "..")
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, "interface name is . or ..");
        }

        foreach (var rune in ifName.EnumerateRunes())
        {
            if (rune.Value is '/' or ':' || Rune.IsWhiteSpace(rune))
            {
                throw new CniException(
                    CniErrorCodes.InvalidEnvironment,
                    "interface name contains / or : or whitespace characters");
            }
        }
    }

    public static void ValidateNetworkName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new CniException(CniErrorCodes.InvalidNetworkConfig, "missing network name");
        }

        if (!IsValidIdentifier(name))
        {
            throw new CniException(CniErrorCodes.InvalidNetworkConfig, "invalid characters found in network name", name);
        }
    }

    /// <summary>
    /// <c>^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$</c> with Go's meaning of <c>$</c> (end of text). A .NET regex would also accept a
    /// trailing newline, so the check is written out.
    /// </summary>
    public static bool IsValidIdentifier(string value) =>
        value.Length > 0
        && char.IsAsciiLetterOrDigit(value[0])
        && value.AsSpan(1).IndexOfAnyExcept(IdentifierChars) < 0;

    private static readonly System.Buffers.SearchValues<char> IdentifierChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
}
