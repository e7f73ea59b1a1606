namespace Whereabouts.Core.Naming;

/// <summary>Kubernetes object-name rules (RFC 1123 subdomain), as the API server applies them to custom resources.</summary>
public static class Dns1123
{
    public const int MaxSubdomainLength = 253;

    /// <summary>Lowercase alphanumerics, '-' and '.', starting and ending with an alphanumeric, each dot-separated part too.</summary>
    public static bool IsSubdomain(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxSubdomainLength)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0 || !IsAlphanumeric(label[0]) || !IsAlphanumeric(label[^1]))
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!IsAlphanumeric(c) && c != '-')
                {
                    return false;
                }
            }
        }

        return true;
    }

    internal static bool IsAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
