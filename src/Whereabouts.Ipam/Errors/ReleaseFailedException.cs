namespace Whereabouts.Ipam.Errors;

/// <summary>
/// A release could not finish for some ranges. Ranges that could be released were; the failures are listed, and
/// <see cref="IsTransient"/> says whether retrying the whole release later can succeed.
/// </summary>
public sealed class ReleaseFailedException(string message, IReadOnlyList<Exception> failures)
    : IpamException(message, failures.Count == 1 ? failures[0] : new AggregateException(failures))
{
    public IReadOnlyList<Exception> Failures { get; } = failures;

    public bool IsTransient => Failures.All(static f => f is StoreUnavailableException or OperationCanceledException);
}
