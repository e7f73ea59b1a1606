using System.Text;
using Whereabouts.Core.Config;
using Whereabouts.Ipam;

namespace Whereabouts.Plugin;

/// <summary>The flat-file lookup of direct mode, remembering what it found so the node agent can be sent the same bytes.</summary>
internal sealed class FlatFileCapture
{
    private string? _path;
    private ReadOnlyMemory<byte> _content;

    public FlatFileLookup Lookup(string path)
    {
        var found = FlatFileSystem.Lookup(path);
        if (found.Status == FlatFileStatus.Found)
        {
            _path = path;
            _content = found.Content;
        }

        return found;
    }

    public string? ContentOf(string path) => path == _path ? Encoding.UTF8.GetString(_content.Span) : null;
}
