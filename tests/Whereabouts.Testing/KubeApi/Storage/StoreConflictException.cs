namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>A compare-and-swap on the store failed; the operation decides what the client sees.</summary>
internal sealed class StoreConflictException : Exception
{
    public StoreConflictException()
    {
    }

    public StoreConflictException(string message)
        : base(message)
    {
    }

    public StoreConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StoreConflictException(StoreConflictKind kind)
        : base(kind.ToString())
    {
        Kind = kind;
    }

    public StoreConflictKind Kind { get; }
}
