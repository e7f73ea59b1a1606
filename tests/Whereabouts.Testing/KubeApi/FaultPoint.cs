namespace Whereabouts.Testing.KubeApi;

/// <summary>When an injected fault strikes relative to the request's own work.</summary>
public enum FaultPoint
{
    /// <summary>Before the request is processed: nothing is read or written.</summary>
    BeforeProcessing,

    /// <summary>After the request was processed (a write is committed), in place of its response: a lost response.</summary>
    AfterProcessing,
}
