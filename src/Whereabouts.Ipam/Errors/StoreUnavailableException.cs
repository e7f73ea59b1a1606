namespace Whereabouts.Ipam.Errors;

/// <summary>
/// The datastore could not be reached, timed out, or is overloaded. Transient: the service retries it within its
/// deadline, and the CNI caller gets "try again later" (code 11) when the deadline passes.
/// </summary>
public sealed class StoreUnavailableException : IpamException
{
    public StoreUnavailableException(string message, Exception? inner = null, TimeSpan? retryAfter = null, bool isTransient = true)
        : base(message, inner)
    {
        RetryAfter = retryAfter;
        IsTransient = isTransient;
    }

    /// <summary>
    /// False when retrying within this call cannot help (a local disk error): the caller still gets "try again later",
    /// but without spending the deadline first.
    /// </summary>
    public bool IsTransient { get; }

    /// <summary>How long the store asked us to wait (HTTP Retry-After), if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
