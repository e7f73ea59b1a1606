using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Whereabouts.Testing.KubeApi.Security;

/// <summary>
/// A throwaway CA and a loopback server certificate it signed (ECDSA P-256, which is quick to
/// generate), so that clients exercise real TLS verification against the CA in their kubeconfig.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
        AuthorityPem = authority.ExportCertificatePem();
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Server { get; }

    public string AuthorityPem { get; }

    public static TestCertificateAuthority Create(DateTimeOffset now)
    {
        var notBefore = now.AddHours(-1);
        var notAfter = now.AddYears(1);
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=whereabouts-test-ca", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        var authority = authorityRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName("kubernetes.default.svc");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var signed = serverRequest.Create(authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        var server = signed.CopyWithPrivateKey(serverKey);
        return new TestCertificateAuthority(authority, server);
    }

    /// <summary>Verifies a server certificate chains to this CA alone (what a client with this kubeconfig does).</summary>
    public bool Validates(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        Server.Dispose();
        Authority.Dispose();
    }
}
