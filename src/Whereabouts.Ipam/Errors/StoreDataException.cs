namespace Whereabouts.Ipam.Errors;

/// <summary>Stored data cannot be read (a damaged file, an object of the wrong shape). Retrying does not help.</summary>
public sealed class StoreDataException(string message, Exception? inner = null) : IpamException(message, inner);
