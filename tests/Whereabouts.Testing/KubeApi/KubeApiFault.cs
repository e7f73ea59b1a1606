namespace Whereabouts.Testing.KubeApi;

/// <summary>
/// One injected fault rule: it fails requests with a status code, or drops their connection, for
/// the next N matching requests or a fraction of them. Dispose it to remove it early.
/// </summary>
public sealed class KubeApiFault : IDisposable
{
    private readonly Action<KubeApiFault> _remove;
    private int _remaining;
    private int _triggered;

    internal KubeApiFault(int statusCode, bool drop, int count, double fraction, string? verb, string? resource, FaultPoint point, Action<KubeApiFault> remove)
    {
        StatusCode = statusCode;
        Drops = drop;
        _remaining = count;
        Fraction = fraction;
        Verb = verb;
        Resource = resource;
        Point = point;
        _remove = remove;
    }

    /// <summary>The status code answered (0 when the fault drops the connection).</summary>
    public int StatusCode { get; }

    /// <summary>Whether the fault aborts the connection instead of answering.</summary>
    public bool Drops { get; }

    /// <summary>The fraction of matching requests hit, for a fractional fault (0 for a counted one).</summary>
    public double Fraction { get; }

    /// <summary>The verb matched (get, list, watch, create, update, patch, delete, deletecollection), or null for any.</summary>
    public string? Verb { get; }

    /// <summary>The resource (plural, e.g. "ippools") matched, or null for any.</summary>
    public string? Resource { get; }

    public FaultPoint Point { get; }

    /// <summary>How many more requests a counted fault will hit.</summary>
    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>How many requests this fault has hit so far.</summary>
    public int Triggered => Volatile.Read(ref _triggered);

    public void Dispose() => _remove(this);

    internal bool Matches(string verb, string resource) =>
        (Verb is null || string.Equals(Verb, verb, StringComparison.Ordinal))
        && (Resource is null || string.Equals(Resource, resource, StringComparison.Ordinal));

    /// <summary>Decides whether this request is hit; a counted fault is used up atomically.</summary>
    internal bool TryStrike()
    {
        if (Fraction > 0)
        {
            if (Random.Shared.NextDouble() >= Fraction)
            {
                return false;
            }
        }
        else
        {
            int remaining;
            do
            {
                remaining = Volatile.Read(ref _remaining);
                if (remaining <= 0)
                {
                    return false;
                }
            }
            while (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) != remaining);
        }

        Interlocked.Increment(ref _triggered);
        return true;
    }
}
