using System.Text;

namespace Whereabouts.Controller.Metrics;

/// <summary>
/// The request line of an HTTP/1.x request, which is all <see cref="MetricsEndpoint"/> needs: it answers two paths,
/// ignores the headers and closes the connection after one answer.
/// </summary>
/// <param name="Method">The method, as sent (methods are case-sensitive).</param>
/// <param name="Path">The path of the target, without its query.</param>
internal readonly record struct HttpRequestHead(string Method, string Path)
{
    /// <summary>
    /// Finds the end of the request head (the empty line after the headers) in <paramref name="received"/>; -1 while
    /// it has not arrived completely.
    /// </summary>
    public static int EndOfHead(ReadOnlySpan<byte> received)
    {
        var crlf = received.IndexOf("\r\n\r\n"u8);
        if (crlf >= 0)
        {
            return crlf + 4;
        }

        // A bare LF ends lines too (RFC 9112 section 2.2 lets a server accept it).
        var lf = received.IndexOf("\n\n"u8);
        return lf >= 0 ? lf + 2 : -1;
    }

    /// <summary>Reads the request line of a complete head; null when it is not an HTTP/1.x request line.</summary>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        var end = head.IndexOf((byte)'\n');
        var line = Encoding.ASCII.GetString(end < 0 ? head : head[..end]).TrimEnd('\r');
        var parts = line.Split(' ');
        if (parts is not [{ Length: > 0 } method, { Length: > 0 } target, var version] || !version.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }

        // The absolute form (a proxy's) carries the scheme and host before the path.
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            var slash = target.IndexOf('/', "http://".Length);
            target = slash < 0 ? "/" : target[slash..];
        }

        if (target[0] != '/')
        {
            return null;
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        return new HttpRequestHead(method, query < 0 ? target : target[..query]);
    }
}
