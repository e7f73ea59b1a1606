using System.Runtime.InteropServices;

namespace Whereabouts.Plugin;

/// <summary>
/// The plugin runs with the node's own libraries, and OpenSSL is not one every node has. The runtime loads it on the
/// first certificate or TLS operation and, when it finds none, prints "No usable version of libssl was found" and
/// aborts the process: the container runtime would see a crash and no CNI error. So the Kubernetes datastore, the
/// only user of TLS, looks for it first (the file datastore never loads it).
/// </summary>
internal static class TlsLibrary
{
    /// <summary>The names the runtime's OpenSSL loader tries, in its order, after the override below.</summary>
    public static IReadOnlyList<string> Candidates { get; } =
        ["libssl.so.3", "libssl.so.1.1", "libssl.so.1.0.2", "libssl.so.1.0.0", "libssl.so.10"];

    /// <summary>The runtime's switch to one OpenSSL version (it then tries <c>libssl.so.&lt;value&gt;</c> first).</summary>
    public const string VersionOverrideVariable = "DOTNET_OPENSSL_VERSION_OVERRIDE";

    /// <summary>Fails with a one-line message when the runtime would find no libssl.</summary>
    /// <param name="getenv">The process environment.</param>
    /// <param name="tryLoad">Loads a library by file name (dlopen), true when it loaded.</param>
    /// <exception cref="TlsUnavailableException">No libssl can be loaded.</exception>
    public static void EnsureAvailable(Func<string, string?> getenv, Func<string, bool> tryLoad)
    {
        if (getenv(VersionOverrideVariable) is { Length: > 0 } version && tryLoad($"libssl.so.{version}"))
        {
            return;
        }

        foreach (var name in Candidates)
        {
            if (tryLoad(name))
            {
                return;
            }
        }

        throw new TlsUnavailableException(
            $"the Kubernetes datastore reaches the API server over TLS, and this node has no OpenSSL library ({string.Join(", ", Candidates)} not found): install OpenSSL 3 or 1.1 on the node");
    }

    /// <summary>Loads a library for the process's lifetime, as the runtime keeps it loaded afterwards anyway.</summary>
    public static bool TryLoad(string name) => NativeLibrary.TryLoad(name, out _);
}
