using Whereabouts.Core.Config;

namespace Whereabouts.Ipam.Errors;

/// <summary>The configuration cannot be used; every problem is listed, each with its key.</summary>
public sealed class InvalidIpamConfigException : IpamException
{
    public InvalidIpamConfigException(string message, IReadOnlyList<ConfigIssue> errors)
        : base(message)
    {
        Errors = errors;
    }

    public InvalidIpamConfigException(string message)
        : this(message, [])
    {
    }

    public IReadOnlyList<ConfigIssue> Errors { get; }
}
