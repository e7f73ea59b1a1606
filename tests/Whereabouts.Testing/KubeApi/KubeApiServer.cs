using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Whereabouts.Testing.KubeApi.Http;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Security;

namespace Whereabouts.Testing.KubeApi;

/// <summary>
/// A Kubernetes API server for tests, on loopback: a test double that follows kube-apiserver's
/// behaviour (status codes, Status bodies, resourceVersion, watch, paging, validation, limits)
/// for the resources this project uses, with fault injection and request counters.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly TestCertificateAuthority? _certificates;
    private KubeApiPipeline? _pipeline;

    private KubeApiServer(WebApplication app, CancellationTokenSource stopping, TestCertificateAuthority? certificates, ApiBackend backend,
        KubeApiFaults faults, KubeApiCounters counters, string token, string crdDirectory)
    {
        CrdDirectory = crdDirectory;
        _app = app;
        _stopping = stopping;
        _certificates = certificates;
        Faults = faults;
        Counters = counters;
        Token = token;
        Options = backend.Options;
        Store = new KubeApiStore(backend);
        BaseAddress = null!;
    }

    /// <summary>The server's URL, e.g. https://127.0.0.1:40123/.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>The bearer token of the full-access user.</summary>
    public string Token { get; }

    /// <summary>The PEM of the CA that signed the server certificate; null over plain HTTP.</summary>
    public string? CaCertificatePem => _certificates?.AuthorityPem;

    public KubeApiServerOptions Options { get; }

    /// <summary>The directory the custom resource definitions were loaded from.</summary>
    public string CrdDirectory { get; }

    public KubeApiFaults Faults { get; }

    public KubeApiCounters Counters { get; }

    /// <summary>Direct access to objects for arranging and asserting.</summary>
    public KubeApiStore Store { get; }

    public static async Task<KubeApiServer> StartAsync(KubeApiServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var crdDirectory = Path.GetFullPath(options.CrdDirectory ?? LocateCrdDirectory());
        var catalog = new ResourceCatalog([.. BuiltInResources.Create(), .. CrdLoader.LoadDirectory(crdDirectory)]);
        var token = options.Token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var users = new Dictionary<string, KubeApiUser>(options.Users, StringComparer.Ordinal) { [token] = new KubeApiUser(options.UserName) };
        var stopping = new CancellationTokenSource();
        var backend = new ApiBackend(catalog, options, stopping.Token);
        foreach (var namespaceName in options.InitialNamespaces)
        {
            backend.Writer.Create(catalog.Namespaces, null,
                new JsonObject { ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = namespaceName } }, Operations.WriteOptions.Quiet);
        }

        // Clients check certificates against the real clock, whatever clock the test gives the server.
        var certificates = options.UseHttps ? TestCertificateAuthority.Create(DateTimeOffset.UtcNow) : null;
        var faults = new KubeApiFaults();
        var counters = new KubeApiCounters();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(KubeApiServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificates is null)
                {
                    listen.Protocols = HttpProtocols.Http1;
                    return;
                }

                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificates.Server);
            });
        });
        var app = builder.Build();
        var server = new KubeApiServer(app, stopping, certificates, backend, faults, counters, token, crdDirectory);
        var pipeline = new KubeApiPipeline(backend, faults, counters, new Authenticator(users, options.AllowAnonymous),
            () => server.BaseAddress.Authority, stopping.Token);
        server._pipeline = pipeline;
        app.Run(pipeline.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>
    /// Writes a kubeconfig for this server (server URL, CA data over HTTPS, bearer token, and a
    /// current context with <paramref name="namespaceName"/>) and returns its full path.
    /// </summary>
    public string WriteKubeconfig(string path, string? namespaceName = "kube-system", string? token = null)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, KubeconfigWriter.Render(BaseAddress, token ?? Token, CaCertificatePem, namespaceName));
        return fullPath;
    }

    /// <summary>An HttpClient for raw requests (such as watches): it trusts only this server's CA and sends the token.</summary>
    public HttpClient CreateHttpClient(string? token = null)
    {
        var handler = new SocketsHttpHandler();
        if (_certificates is { } certificates)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificates.Validates(certificate, errors);
        }

        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? Token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Faults.Resume();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Connections that outlive the deadline are cut.
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _pipeline?.Dispose();
        _certificates?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Finds the repository's deploy/crds by walking up from the application directory.</summary>
    private static string LocateCrdDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "deploy", "crds");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No deploy/crds directory above {AppContext.BaseDirectory}; set {nameof(KubeApiServerOptions)}.{nameof(KubeApiServerOptions.CrdDirectory)}.");
    }
}
