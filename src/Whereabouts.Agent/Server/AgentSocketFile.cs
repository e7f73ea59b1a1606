using System.Net.Sockets;

namespace Whereabouts.Agent.Server;

/// <summary>
/// Binds the agent's unix socket: mode 0600 (only root, the owner, may ask for addresses), a stale file left by a
/// killed agent replaced, a live agent's never taken. Two guards: a lock file held for the agent's life (flock, released
/// by the kernel when the process dies, however it dies), and before anything is removed a connect probe, so even an
/// agent that holds no lock (an older build) keeps its socket.
/// </summary>
internal static class AgentSocketFile
{
    public static (Socket Listener, FileStream Lock) Bind(string path, int backlog)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        FileStream lockFile;
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Linux.
            lockFile = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new AgentSocketInUseException($"another agent holds {full}.lock: {ex.Message}", ex);
        }

        try
        {
            RemoveStale(full);
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                listener.Bind(new UnixDomainSocketEndPoint(full));
                File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                listener.Listen(backlog);
                return (listener, lockFile);
            }
            catch
            {
                listener.Dispose();
                throw;
            }
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    private static void RemoveStale(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"{path} is a directory, not an agent socket");
        }

        if (!File.Exists(path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // Nobody listens: the socket of an agent that is gone.
            File.Delete(path);
            return;
        }

        throw new AgentSocketInUseException($"an agent is listening on {path}");
    }
}
