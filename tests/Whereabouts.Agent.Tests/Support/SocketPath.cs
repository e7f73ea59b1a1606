namespace Whereabouts.Agent.Tests.Support;

/// <summary>A unique directory for one test's socket, removed on dispose (unix socket paths must stay under 108 bytes).</summary>
internal sealed class SocketPath : IDisposable
{
    public SocketPath()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("wa-agent-").FullName;
        Path = System.IO.Path.Join(Directory, "agent.sock");
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
