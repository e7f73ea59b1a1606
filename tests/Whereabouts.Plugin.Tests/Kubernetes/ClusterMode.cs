namespace Whereabouts.Plugin.Tests.Kubernetes;

/// <summary>How the plugin reaches the datastore in a test: by itself, or through a node agent (<c>agent_socket</c>).</summary>
public enum ClusterMode
{
    Direct,
    Agent,
}
