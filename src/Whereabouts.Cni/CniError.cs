namespace Whereabouts.Cni;

/// <summary>The CNI error object: written as JSON to stdout with a non-zero exit code.</summary>
/// <param name="Code">One of <see cref="CniErrorCodes"/>, or 100+ for plugin-specific errors.</param>
/// <param name="Message">The <c>msg</c> field.</param>
/// <param name="Details">The optional <c>details</c> field; omitted from the JSON when null or empty.</param>
public sealed record CniError(int Code, string Message, string? Details = null);
