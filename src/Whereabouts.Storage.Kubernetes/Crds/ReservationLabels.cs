using System.Security.Cryptography;
using System.Text;

namespace Whereabouts.Storage.Kubernetes.Crds;

/// <summary>
/// The label new OverlappingRangeIPReservations carry so that a DEL finds its attachment's reservations with one
/// label-selected LIST instead of reading every reservation in the cluster. Upstream's objects lack it and are found by
/// the reconciler instead; the label is extra metadata upstream ignores, so objects stay interchangeable.
/// </summary>
public static class ReservationLabels
{
    public const string ContainerId = WhereaboutsApi.Group + "/container-id";

    private const int MaxValueLength = 63;

    /// <summary>
    /// The label value for <paramref name="containerId"/>: the id itself when it is a valid label value (runtimes use
    /// 64 hex digits, so it is cut to 63, still unique in practice), otherwise a hash of it. Matches are always checked
    /// against <c>spec.containerid</c>, so a shared value can only cost a larger answer, never a wrong delete.
    /// </summary>
    public static string ValueFor(string containerId)
    {
        ArgumentNullException.ThrowIfNull(containerId);
        var cut = containerId.Length > MaxValueLength ? containerId[..MaxValueLength] : containerId;
        if (IsValidValue(cut))
        {
            return cut;
        }

        return "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(containerId)))[..40];
    }

    /// <summary>The label selector of <paramref name="containerId"/>'s reservations.</summary>
    public static string SelectorFor(string containerId) => ContainerId + "=" + ValueFor(containerId);

    // A label value: empty, or alphanumerics at both ends with '-', '_' and '.' between.
    private static bool IsValidValue(string value) =>
        value.Length == 0
        || (char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1])
            && value.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
}
