using System.Text;
using Whereabouts.Core.Config;

namespace Whereabouts.Core.Tests.Support;

/// <summary>An in-memory file system for the flat-file lookup that records every path it was asked about.</summary>
internal sealed class FakeFlatFiles
{
    private readonly Dictionary<string, FlatFileLookup> _files = new(StringComparer.Ordinal);

    public List<string> Asked { get; } = [];

    public FakeFlatFiles With(string path, string json)
    {
        _files[path] = FlatFileLookup.Found(Encoding.UTF8.GetBytes(json));
        return this;
    }

    public FakeFlatFiles Failing(string path, string error)
    {
        _files[path] = FlatFileLookup.Failed(error);
        return this;
    }

    public FlatFileLookup Lookup(string path)
    {
        Asked.Add(path);
        return _files.TryGetValue(path, out var found) ? found : FlatFileLookup.NotFound;
    }
}
