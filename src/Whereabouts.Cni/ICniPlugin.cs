namespace Whereabouts.Cni;

/// <summary>
/// What a plugin implements; <see cref="CniDispatcher"/> has already validated the environment, the configuration's
/// name and version, and the version gate of each verb before calling it.
/// </summary>
/// <remarks>
/// Throw <see cref="CniException"/> to report a specific CNI code; any other exception goes through the dispatcher's
/// translator (by default code 999 with the exception's message).
/// </remarks>
public interface ICniPlugin
{
    /// <summary>ADD: allocate; the result is written in the configuration's <c>cniVersion</c>.</summary>
    Task<CniResult> AddAsync(CniRequest request, CancellationToken cancellationToken);

    /// <summary>DEL: release; must succeed when there is nothing to release.</summary>
    Task DelAsync(CniRequest request, CancellationToken cancellationToken);

    /// <summary>CHECK (config ≥ 0.4.0): throw when what ADD created is missing.</summary>
    Task CheckAsync(CniRequest request, CancellationToken cancellationToken);

    /// <summary>GC (config ≥ 1.1.0): release everything not in <see cref="CniRequest.ValidAttachments"/>.</summary>
    Task GcAsync(CniRequest request, CancellationToken cancellationToken);

    /// <summary>STATUS (config ≥ 1.1.0): throw (code 50 or 51) when ADD cannot be served.</summary>
    Task StatusAsync(CniRequest request, CancellationToken cancellationToken);
}
