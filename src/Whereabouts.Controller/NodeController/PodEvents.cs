using k8s.Models;
using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Kube;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Controller.NodeController;

/// <summary>
/// Events on the deleted pod, with upstream's reasons (<c>IPAddressGarbageCollected</c>,
/// <c>IPAddressGarbageCollectionFailed</c>), so <c>kubectl get events</c> shows what became of its addresses. An event
/// that cannot be recorded is logged; it never fails the release.
/// </summary>
internal sealed partial class PodEvents(ClusterApi cluster, string node, TimeProvider time, ILogger logger)
{
    public const string Component = "whereabouts-controller";
    public const string Collected = "IPAddressGarbageCollected";
    public const string CollectionFailed = "IPAddressGarbageCollectionFailed";

    public Task NormalAsync(TrackedPod pod, string message, CancellationToken cancellationToken) =>
        RecordAsync(pod, "Normal", Collected, message, cancellationToken);

    public Task WarningAsync(TrackedPod pod, string message, CancellationToken cancellationToken) =>
        RecordAsync(pod, "Warning", CollectionFailed, message, cancellationToken);

    private async Task RecordAsync(TrackedPod pod, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var recorded = EventObjects.Create(
            new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = pod.Namespace, Name = pod.Name, Uid = pod.Uid },
            type,
            reason,
            message,
            Component,
            node,
            now);
        try
        {
            await cluster.CreateEventAsync(recorded, cancellationToken);
        }
        catch (IpamException ex)
        {
            LogEventFailed(logger, reason, pod.ToString(), ex.Message);
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Cannot record event {Reason} on pod {Pod}: {Error}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string pod, string error);
}
