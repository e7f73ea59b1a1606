using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>
/// The HTTP side of a kubeconfig: TLS (the kubeconfig's CA as the only trusted root, the client certificate, the TLS
/// server name) and credentials (token, token provider, basic). KubernetesClient reads and validates the kubeconfig;
/// requests go through this plain <see cref="HttpClient"/> instead of the client's generated API, whose thousands of
/// model types would make the plugin several times bigger and slower to start.
/// </summary>
internal static class KubeHttp
{
    public static HttpClient CreateClient(KubernetesClientConfiguration config)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
        };
        var ssl = handler.SslOptions;
        if (!string.IsNullOrEmpty(config.TlsServerName))
        {
            ssl.TargetHost = config.TlsServerName;
        }

        if (config.SkipTlsVerify)
        {
#pragma warning disable CA5359 // The kubeconfig asks for it (insecure-skip-tls-verify), as kubectl honours it.
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (config.SslCaCerts is { Count: > 0 } authorities)
        {
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(authorities, certificate, errors);
        }

        if (!string.IsNullOrEmpty(config.ClientCertificateData) || !string.IsNullOrEmpty(config.ClientCertificateFilePath))
        {
            ssl.ClientCertificates = [ClientCertificate(config)];
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public static async Task AuthorizeAsync(HttpRequestMessage message, KubernetesClientConfiguration config, CancellationToken cancellationToken)
    {
        if (config.TokenProvider is { } provider)
        {
            message.Headers.Authorization = await provider.GetAuthenticationHeaderAsync(cancellationToken);
        }
        else if (!string.IsNullOrEmpty(config.AccessToken))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);
        }
        else if (!string.IsNullOrEmpty(config.Username))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{config.Username}:{config.Password}"));
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
    }

    /// <summary>The kubeconfig's client certificate and key, inline (base64 PEM) or from files.</summary>
    private static X509Certificate2 ClientCertificate(KubernetesClientConfiguration config)
    {
        var certificate = !string.IsNullOrEmpty(config.ClientCertificateData)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateData))
            : File.ReadAllText(config.ClientCertificateFilePath!);
        var key = !string.IsNullOrEmpty(config.ClientCertificateKeyData)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateKeyData))
            : File.ReadAllText(config.ClientKeyFilePath!);
        return X509Certificate2.CreateFromPem(certificate, key);
    }

    /// <summary>The server certificate must chain to one of the kubeconfig's authorities and match the host name.</summary>
    private static bool IsTrusted(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var server = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        try
        {
            return chain.Build(server);
        }
        finally
        {
            if (!ReferenceEquals(server, certificate))
            {
                server.Dispose();
            }
        }
    }
}
