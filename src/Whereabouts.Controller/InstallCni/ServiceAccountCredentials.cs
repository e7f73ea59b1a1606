namespace Whereabouts.Controller.InstallCni;

/// <summary>
/// The token and CA of a service-account directory, read through its symlinks as they are now (the kubelet swaps a
/// <c>..data</c> link to rotate them, so each read sees one consistent generation).
/// </summary>
/// <param name="Token">The bearer token, without the trailing newline a hand-made file may have.</param>
/// <param name="CertificateAuthorityData">The CA bundle in base64, as a kubeconfig carries it; null when TLS verification is skipped.</param>
internal sealed record ServiceAccountCredentials(string Token, string? CertificateAuthorityData)
{
    public const string TokenFileName = "token";
    public const string CaFileName = "ca.crt";

    /// <exception cref="NotInClusterException">There is no token file.</exception>
    /// <exception cref="IOException">The token is empty, or the CA is missing or unreadable.</exception>
    public static ServiceAccountCredentials Read(string serviceAccountDir, bool skipTlsVerify)
    {
        var tokenPath = Path.Join(serviceAccountDir, TokenFileName);
        string token;
        try
        {
            token = File.ReadAllText(tokenPath).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotInClusterException($"no service-account token at {tokenPath}: not running in a Kubernetes pod");
        }

        if (token.Length == 0)
        {
            throw new IOException($"the service-account token {tokenPath} is empty");
        }

        if (skipTlsVerify)
        {
            return new ServiceAccountCredentials(token, null);
        }

        var caPath = Path.Join(serviceAccountDir, CaFileName);
        try
        {
            return new ServiceAccountCredentials(token, Convert.ToBase64String(File.ReadAllBytes(caPath)));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"no CA certificate at {caPath} (use --skip-tls-verify to connect without one)", ex);
        }
    }
}
