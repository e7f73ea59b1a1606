namespace Whereabouts.Testing.KubeApi;

/// <summary>How many requests with a verb on a resource got a status code (0 when the connection was dropped).</summary>
public readonly record struct KubeApiCounter(string Verb, string Resource, int StatusCode, long Count);
