namespace Whereabouts.Core.Config;

/// <summary>The result of looking for a flat configuration file. Core does no I/O: callers supply the lookup.</summary>
public sealed record FlatFileLookup
{
    private FlatFileLookup(FlatFileStatus status, ReadOnlyMemory<byte> content, string? error)
    {
        Status = status;
        Content = content;
        Error = error;
    }

    public FlatFileStatus Status { get; }

    public ReadOnlyMemory<byte> Content { get; }

    public string? Error { get; }

    public static FlatFileLookup NotFound { get; } = new(FlatFileStatus.NotFound, ReadOnlyMemory<byte>.Empty, null);

    public static FlatFileLookup Found(ReadOnlyMemory<byte> content) => new(FlatFileStatus.Found, content, null);

    public static FlatFileLookup Failed(string error) => new(FlatFileStatus.Failed, ReadOnlyMemory<byte>.Empty, error);
}

public enum FlatFileStatus
{
    /// <summary>No regular file at the path (directories count as absent).</summary>
    NotFound,
    Found,
    Failed,
}
