using k8s.Models;
using Microsoft.Extensions.Logging;
using Whereabouts.Controller.Kube;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Controller.NodeSlices;

/// <summary>
/// Warning events of the slice controller. A condition is recorded once when it appears, not at every pass; it is
/// recorded again after it went away and came back. An event that cannot be recorded is logged.
/// </summary>
internal sealed partial class NodeSliceEvents(ClusterApi cluster, string node, TimeProvider time, ILogger logger)
{
    public const string Component = "whereabouts-node-slices";
    public const string Exhausted = "NodeSlicesExhausted";
    public const string NotMoved = "NodeSliceNotMoved";
    public const string Mismatch = "NodeSliceConfigMismatch";

    private HashSet<string> _reported = new(StringComparer.Ordinal);
    private HashSet<string> _current = new(StringComparer.Ordinal);

    /// <summary>Starts a pass: conditions not reported again during it are forgotten at <see cref="EndPass"/>.</summary>
    public void BeginPass() => _current = new HashSet<string>(StringComparer.Ordinal);

    public void EndPass() => _reported = _current;

    public async Task WarnAsync(string apiVersion, string kind, string @namespace, string name, string? uid, string reason, string message, CancellationToken cancellationToken)
    {
        var key = $"{kind}/{@namespace}/{name}/{reason}/{message}";
        _current.Add(key);
        if (_reported.Contains(key))
        {
            return;
        }

        LogWarning(logger, reason, kind, @namespace, name, message);
        var now = time.GetUtcNow().UtcDateTime;
        var recorded = EventObjects.Create(
            new V1ObjectReference { ApiVersion = apiVersion, Kind = kind, NamespaceProperty = @namespace, Name = name, Uid = uid },
            "Warning",
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
            LogEventFailed(logger, reason, name, ex.Message);
        }
    }

    [LoggerMessage(EventId = 480, Level = LogLevel.Warning, Message = "{Reason} on {Kind} {Namespace}/{Name}: {Message}")]
    private static partial void LogWarning(ILogger logger, string reason, string kind, string @namespace, string name, string message);

    [LoggerMessage(EventId = 481, Level = LogLevel.Warning, Message = "Cannot record event {Reason} on {Name}: {Error}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string name, string error);
}
