using Whereabouts.Testing.KubeApi;

namespace Whereabouts.LoadTest;

/// <summary>One round of calls (every pod's ADD, or every pod's DEL) and what the server counted meanwhile.</summary>
internal sealed record RoundResult(
    string Name,
    IReadOnlyList<CallResult> Calls,
    TimeSpan Elapsed,
    IReadOnlyList<KubeApiCounter> Counters,
    TimeSpan PluginCpu,
    TimeSpan ServerCpu)
{
    public PoolCheck? Check { get; init; }

    public IReadOnlyList<CallResult> Failures => [.. Calls.Where(static c => c.ExitCode != 0)];

    public long Count(string verb, string resource, int? code = null) =>
        Counters.Where(c => c.Verb == verb && c.Resource == resource && (code is null || c.StatusCode == code)).Sum(static c => c.Count);

    public long Requests => Counters.Sum(static c => c.Count);

    /// <summary>Pool writes refused because the pool moved since it was read: the failed resourceVersion test (422).</summary>
    public long Conflicts => Count("patch", "ippools", 422) + Count("patch", "ippools", 409);

    /// <summary>Pool writes that did not succeed and so were planned and sent again.</summary>
    public long PatchRetries => Count("patch", "ippools") - Count("patch", "ippools", 200);

    /// <summary>Reservation creates that found the address already reserved by a racing pod, which then tried the next address.</summary>
    public long ClaimConflicts => Count("create", "overlappingrangeipreservations", 409);
}
