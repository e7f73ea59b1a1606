namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>One line of a watch stream: the event type and the object (or Status) JSON.</summary>
internal sealed record WatchFrame(string Type, byte[] Object);
