namespace Whereabouts.Ipam.Errors;

/// <summary>A write would exceed a hard limit of the datastore, such as the API server's object size limit.</summary>
public sealed class StoreLimitExceededException(string message, Exception? inner = null) : IpamException(message, inner);
