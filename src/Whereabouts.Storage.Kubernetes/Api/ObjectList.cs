namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>Every object of a list (all pages) and the resourceVersion of its consistent snapshot, to watch from.</summary>
public sealed record ObjectList<T>(IReadOnlyList<T> Items, string ResourceVersion);
