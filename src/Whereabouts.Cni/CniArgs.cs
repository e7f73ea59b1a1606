namespace Whereabouts.Cni;

/// <summary>
/// The parsed <c>CNI_ARGS</c> variable (<c>K=V;K2=V2</c>), with the keys an IPAM plugin understands.
/// Parsing follows the reference library's <c>LoadArgs</c>: keys are case-sensitive, every pair needs exactly one
/// <c>=</c>, and unknown keys are an error unless <c>IgnoreUnknown</c> is true, wherever it appears.
/// </summary>
public sealed record CniArgs
{
    /// <summary>No arguments (an empty or absent <c>CNI_ARGS</c>).</summary>
    public static CniArgs Empty { get; } = new();

    /// <summary><c>K8S_POD_NAMESPACE</c>, set by CRI runtimes; null when absent.</summary>
    public string? K8sPodNamespace { get; init; }

    /// <summary><c>K8S_POD_NAME</c>; null when absent.</summary>
    public string? K8sPodName { get; init; }

    /// <summary><c>K8S_POD_INFRA_CONTAINER_ID</c> (the sandbox id); null when absent.</summary>
    public string? K8sPodInfraContainerId { get; init; }

    /// <summary><c>K8S_POD_UID</c>; null when absent.</summary>
    public string? K8sPodUid { get; init; }

    /// <summary><c>IgnoreUnknown</c>: when true, keys this type does not know are accepted and dropped.</summary>
    public bool IgnoreUnknown { get; init; }

    /// <summary>
    /// <c>IP=</c> split on commas and trimmed, unvalidated (the plugin decides whether a prefix is allowed).
    /// Empty entries are kept so that the plugin rejects <c>IP=a,,b</c> instead of silently ignoring a typo.
    /// </summary>
    public IReadOnlyList<string> Ip { get; init; } = [];

    /// <summary><c>GATEWAY=</c> split on commas and trimmed, unvalidated.</summary>
    public IReadOnlyList<string> Gateway { get; init; } = [];

    /// <summary>Parses <paramref name="raw"/>; throws a code-4 <see cref="CniException"/> with the reference wording.</summary>
    public static CniArgs Parse(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return Empty;
        }

        var args = Empty;
        var unknown = new List<string>();
        foreach (var pair in raw.Split(';'))
        {
            var kv = pair.Split('=');
            if (kv.Length != 2)
            {
                throw Invalid($"ARGS: invalid pair {GoFormat.Quote(pair)}");
            }

            var (key, value) = (kv[0], kv[1]);
            var updated = key switch
            {
                "IgnoreUnknown" => args with { IgnoreUnknown = ParseBool(pair, value) },
                "K8S_POD_NAMESPACE" => args with { K8sPodNamespace = value },
                "K8S_POD_NAME" => args with { K8sPodName = value },
                "K8S_POD_INFRA_CONTAINER_ID" => args with { K8sPodInfraContainerId = value },
                "K8S_POD_UID" => args with { K8sPodUid = value },
                "IP" => args with { Ip = SplitList(value) },
                "GATEWAY" => args with { Gateway = SplitList(value) },
                _ => null,
            };
            if (updated is null)
            {
                unknown.Add(pair);
            }
            else
            {
                args = updated;
            }
        }

        if (unknown.Count > 0 && !args.IgnoreUnknown)
        {
            throw Invalid($"ARGS: unknown args {GoFormat.QuoteList(unknown)}");
        }

        return args;
    }

    /// <inheritdoc />
    public bool Equals(CniArgs? other) =>
        other is not null
        && K8sPodNamespace == other.K8sPodNamespace
        && K8sPodName == other.K8sPodName
        && K8sPodInfraContainerId == other.K8sPodInfraContainerId
        && K8sPodUid == other.K8sPodUid
        && IgnoreUnknown == other.IgnoreUnknown
        && Ip.SequenceEqual(other.Ip)
        && Gateway.SequenceEqual(other.Gateway);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(K8sPodNamespace, K8sPodName, K8sPodInfraContainerId, K8sPodUid, IgnoreUnknown, Ip.Count, Gateway.Count);

    // The reference lower-cases before matching, so "TRUE" is accepted too; the error echoes the lower-cased input.
    private static bool ParseBool(string pair, string value) => value.ToLowerInvariant() switch
    {
        "1" or "true" => true,
        "0" or "false" => false,
        var other => throw Invalid(
            $"ARGS: error parsing value of pair {GoFormat.Quote(pair)}: boolean unmarshal error: invalid input {other}"),
    };

    private static string[] SplitList(string value) =>
        value.Length == 0 ? [] : value.Split(',', StringSplitOptions.TrimEntries);

    private static CniException Invalid(string message) => new(CniErrorCodes.InvalidEnvironment, message);
}
