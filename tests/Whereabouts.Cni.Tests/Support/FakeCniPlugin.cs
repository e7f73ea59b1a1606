using System.Net;

namespace Whereabouts.Cni.Tests.Support;

/// <summary>Records every call and answers with <see cref="AddResult"/> or throws what <see cref="Failure"/> returns.</summary>
internal sealed class FakeCniPlugin : ICniPlugin
{
    public static CniResult DefaultResult { get; } = new(
        [new CniIpConfig(IPAddress.Parse("10.0.0.5"), 24, IPAddress.Parse("10.0.0.1"))],
        [],
        CniDns.Empty);

    public List<CniRequest> Requests { get; } = [];

    public CniResult? AddResult { get; set; } = DefaultResult;

    /// <summary>When set, called on every verb; a non-null exception is thrown instead of succeeding.</summary>
    public Func<CniRequest, CancellationToken, Exception?>? Failure { get; set; }

    public Task<CniResult> AddAsync(CniRequest request, CancellationToken cancellationToken)
    {
        Record(request, cancellationToken);
        return Task.FromResult(AddResult!);
    }

    public Task DelAsync(CniRequest request, CancellationToken cancellationToken) => Complete(request, cancellationToken);

    public Task CheckAsync(CniRequest request, CancellationToken cancellationToken) => Complete(request, cancellationToken);

    public Task GcAsync(CniRequest request, CancellationToken cancellationToken) => Complete(request, cancellationToken);

    public Task StatusAsync(CniRequest request, CancellationToken cancellationToken) => Complete(request, cancellationToken);

    private Task Complete(CniRequest request, CancellationToken cancellationToken)
    {
        Record(request, cancellationToken);
        return Task.CompletedTask;
    }

    private void Record(CniRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        if (Failure?.Invoke(request, cancellationToken) is { } exception)
        {
            throw exception;
        }
    }
}
