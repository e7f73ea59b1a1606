namespace Whereabouts.Ipam.Errors;

/// <summary>Every usable address of a range is allocated; the message names the range.</summary>
public sealed class PoolExhaustedException(string message) : IpamException(message);
