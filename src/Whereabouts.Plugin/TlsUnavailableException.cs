using Whereabouts.Ipam.Errors;

namespace Whereabouts.Plugin;

/// <summary>
/// The node has no OpenSSL the runtime can load, so the Kubernetes datastore cannot be reached. Not transient: the
/// caller gets an internal error (999) at once, and STATUS reports the plugin not available (50).
/// </summary>
internal sealed class TlsUnavailableException(string message) : IpamException(message);
