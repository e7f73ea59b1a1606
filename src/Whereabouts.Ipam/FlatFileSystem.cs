using Whereabouts.Core.Config;

namespace Whereabouts.Ipam;

/// <summary>Reads flat configuration files from disk for <see cref="IpamConfigReader"/>, which does no I/O itself.</summary>
public static class FlatFileSystem
{
    public static FlatFileLookup Lookup(string path)
    {
        try
        {
            if (Directory.Exists(path) || !File.Exists(path))
            {
                return FlatFileLookup.NotFound;
            }

            return FlatFileLookup.Found(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FlatFileLookup.Failed(ex.Message);
        }
    }
}
