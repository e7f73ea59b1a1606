namespace Whereabouts.Ipam.Errors;

/// <summary>A specifically requested address cannot be given: another pod holds it, or the range does not allow it.</summary>
public sealed class AddressUnavailableException(string message) : IpamException(message);
