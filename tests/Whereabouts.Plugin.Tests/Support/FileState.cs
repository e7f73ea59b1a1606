using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Whereabouts.Plugin.Tests.Support;

/// <summary>Reads the file datastore as the tests' oracle: pools, their allocations, reservations, and a fingerprint.</summary>
internal static class FileState
{
    public static List<(string Pool, string Offset, string ContainerId, string PodRef, string IfName)> Allocations(string dataDir)
    {
        var result = new List<(string, string, string, string, string)>();
        var pools = Path.Combine(dataDir, "pools");
        if (!Directory.Exists(pools))
        {
            return result;
        }

        foreach (var file in Directory.EnumerateFiles(pools, "*.json"))
        {
            var root = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var (offset, value) in root["allocations"]!.AsObject())
            {
                result.Add((Path.GetFileNameWithoutExtension(file), offset, value!["id"]!.GetValue<string>(),
                    value["podref"]!.GetValue<string>(), value["ifname"]!.GetValue<string>()));
            }
        }

        return result;
    }

    public static List<string> Reservations(string dataDir)
    {
        var dir = Path.Combine(dataDir, "reservations");
        return Directory.Exists(dir)
            ? [.. Directory.EnumerateFiles(dir, "*.json").Select(static f => Path.GetFileNameWithoutExtension(f)).Order()]
            : [];
    }

    /// <summary>A hash of every state file's name and content (lock files excluded): equal before and after means nothing changed.</summary>
    public static string Fingerprint(string dataDir)
    {
        if (!Directory.Exists(dataDir))
        {
            return "absent";
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories).Where(static f => !f.EndsWith(".lock", StringComparison.Ordinal)).Order())
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(dataDir, file)));
            sha.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
