namespace Whereabouts.Ipam.Errors;

/// <summary>
/// The datastore refused our credentials or permissions. Retrying cannot help, so the service fails at once
/// instead of spending the ADD deadline.
/// </summary>
public sealed class StoreAccessDeniedException(string message, Exception? inner = null) : IpamException(message, inner);
