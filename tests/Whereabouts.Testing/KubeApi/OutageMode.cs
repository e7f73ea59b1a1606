namespace Whereabouts.Testing.KubeApi;

/// <summary>How the server behaves while <see cref="KubeApiFaults.Pause"/> is in effect.</summary>
public enum OutageMode
{
    /// <summary>Requests wait (without an answer) until the outage ends.</summary>
    Hang,

    /// <summary>Requests are cut off at once: the connection is aborted without a response.</summary>
    Refuse,
}
