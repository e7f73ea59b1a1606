using System.Runtime.InteropServices;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// Keeps OpenSSL from loading the host's whole trust store (~150 files, most of an uncontended plugin call's CPU) on
/// the first TLS handshake, for a process that trusts only the kubeconfig's certificate authority anyway. It points
/// OpenSSL's default certificate file and directory at nothing, through the C environment (the runtime reads it
/// there), so it is process-wide: only short-lived processes that talk to nothing but the API server use it.
/// </summary>
internal static partial class SystemTrustStore
{
    private static int _ignored;

    public static void Ignore()
    {
        if (Interlocked.Exchange(ref _ignored, 1) == 1)
        {
            return;
        }

        _ = SetEnv("SSL_CERT_FILE", "/dev/null", 1);
        _ = SetEnv("SSL_CERT_DIR", "/nonexistent", 1);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
