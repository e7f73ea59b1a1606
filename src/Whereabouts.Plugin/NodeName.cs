using System.Text;

namespace Whereabouts.Plugin;

/// <summary>
/// This node's name, looked up as upstream does: <c>NODENAME</c>, then the <c>nodename</c> file that install-cni writes
/// next to the flat file, then /etc/hostname. Only the first 1024 bytes of a file count.
/// </summary>
internal static class NodeName
{
    public static string? Resolve(Func<string, string?> getenv, string? configurationPath)
    {
        var fromEnv = getenv("NODENAME")?.Trim();
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        if (!string.IsNullOrEmpty(configurationPath))
        {
            var directory = Directory.Exists(configurationPath) ? configurationPath : Path.GetDirectoryName(configurationPath);
            if (directory is not null && ReadHead(Path.Combine(directory, "nodename")) is { } fromFile)
            {
                return fromFile;
            }
        }

        return ReadHead("/etc/hostname");
    }

    private static string? ReadHead(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[1024];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
