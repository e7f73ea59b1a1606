namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>A revision older than the retained history was asked for (etcd's ErrCompacted).</summary>
internal sealed class StoreExpiredException : Exception
{
    public StoreExpiredException()
    {
    }

    public StoreExpiredException(string message)
        : base(message)
    {
    }

    public StoreExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StoreExpiredException(long requested, long compacted)
        : base($"revision {requested} is compacted (at {compacted})")
    {
        Requested = requested;
        Compacted = compacted;
    }

    public long Requested { get; }

    public long Compacted { get; }
}
