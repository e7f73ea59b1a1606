using k8s.Models;

namespace Whereabouts.Controller.Kube;

/// <summary>Every pod a list returned, across all its pages, and the resourceVersion the list was consistent at.</summary>
internal sealed record PodList(IReadOnlyList<V1Pod> Items, string ResourceVersion);
