using System.Security.Cryptography;
using k8s.Models;

namespace Whereabouts.Controller.Kube;

/// <summary>Builds core/v1 Events the way the kubelet names and fills them.</summary>
internal static class EventObjects
{
    /// <summary>An Event about <paramref name="involved"/>, named after it with a unique suffix, in its namespace.</summary>
    public static Corev1Event Create(V1ObjectReference involved, string type, string reason, string message, string component, string host, DateTime now) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta
        {
            Name = $"{involved.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}",
            NamespaceProperty = involved.NamespaceProperty,
        },
        InvolvedObject = involved,
        Type = type,
        Reason = reason,
        Message = message,
        Source = new V1EventSource { Component = component, Host = host },
        FirstTimestamp = now,
        LastTimestamp = now,
        Count = 1,
    };
}
