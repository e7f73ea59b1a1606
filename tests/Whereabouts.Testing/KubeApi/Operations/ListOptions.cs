using Whereabouts.Testing.KubeApi.Metadata;

namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>The list and watch query parameters of a request.</summary>
internal sealed record ListOptions
{
    public LabelSelector Labels { get; init; } = LabelSelector.Everything;

    public FieldSelector Fields { get; init; } = FieldSelector.Everything;

    public long Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }

    public string? ResourceVersionMatch { get; init; }

    public bool Watch { get; init; }

    public bool AllowWatchBookmarks { get; init; }

    public bool? SendInitialEvents { get; init; }

    public TimeSpan? Timeout { get; init; }
}
