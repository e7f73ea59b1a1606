namespace Whereabouts.Ipam.Errors;

/// <summary>The base of every failure the allocation service reports on purpose; the message is meant for operators.</summary>
public abstract class IpamException : Exception
{
    protected IpamException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
