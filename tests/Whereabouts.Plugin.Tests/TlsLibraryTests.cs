using System.Text.Json.Nodes;
using Whereabouts.Agent;
using Whereabouts.Cni;
using Whereabouts.Core.Config;
using Whereabouts.Plugin.Logging;

namespace Whereabouts.Plugin.Tests;

/// <summary>
/// A node without OpenSSL gets a one-line CNI error from the Kubernetes datastore instead of the runtime's abort; the
/// file datastore never looks for OpenSSL.
/// </summary>
public sealed class TlsLibraryTests
{
    private static readonly Func<string, string?> NoEnvironment = static _ => null;

    [Fact]
    public void EnsureAvailable_NoLibsslAtAll_OneLineMessageNamingWhatIsMissing()
    {
        var ex = Assert.Throws<TlsUnavailableException>(() => TlsLibrary.EnsureAvailable(NoEnvironment, static _ => false));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("libssl.so.3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("libssl.so.1.1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("install OpenSSL 3 or 1.1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("libssl.so.3")]
    [InlineData("libssl.so.1.1")]
    [InlineData("libssl.so.10")]
    public void EnsureAvailable_OneVersionPresent_Passes_TriesInTheRuntimesOrderAndStops(string present)
    {
        var tried = new List<string>();

        TlsLibrary.EnsureAvailable(NoEnvironment, name =>
        {
            tried.Add(name);
            return name == present;
        });

        Assert.Equal(TlsLibrary.Candidates.TakeWhile(n => n != present).Append(present), tried);
    }

    [Fact]
    public void EnsureAvailable_VersionOverride_TriedFirst_ThenTheUsualNames()
    {
        var tried = new List<string>();
        Func<string, string?> env = static name => name == TlsLibrary.VersionOverrideVariable ? "3.5" : null;

        Assert.Throws<TlsUnavailableException>(() => TlsLibrary.EnsureAvailable(env, name =>
        {
            tried.Add(name);
            return false;
        }));

        Assert.Equal(["libssl.so.3.5", .. TlsLibrary.Candidates], tried);
    }

    [Fact]
    public void ErrorMap_NoOpenSsl_InternalErrorForAdd_NotAvailableForStatus()
    {
        var ex = new TlsUnavailableException("no OpenSSL");

        var add = CniErrorMap.Translate(ex)!;
        var status = CniErrorMap.ForStatus(ex);

        Assert.Equal((CniErrorCodes.Internal, "no OpenSSL"), (add.Code, add.Message));
        Assert.Equal(CniErrorCodes.PluginNotAvailable, status.Code);
        Assert.Contains("no OpenSSL", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreFactory_KubernetesWithoutOpenSsl_FailsBeforeReadingTheKubeconfig()
    {
        var factory = Factory(static _ => false);

        Assert.Throws<TlsUnavailableException>(() => factory.Open(Config(DatastoreKind.Kubernetes, "/nonexistent/whereabouts.kubeconfig")));
    }

    [Fact]
    public async Task StoreFactory_FileDatastore_NeverLooksForOpenSsl()
    {
        using var dir = new Support.TempDir();
        var factory = Factory(name => throw new InvalidOperationException($"looked for {name}"));

        await using var store = factory.Open(Config(DatastoreKind.File, dir.Path));
    }

    private static StoreFactory Factory(Func<string, bool> tryLoad)
    {
        var time = TimeProvider.System;
        return new StoreFactory(NoEnvironment, new PluginLogger(TextWriter.Null, time), time, tryLoad);
    }

    private static IpamConfig Config(DatastoreKind datastore, string location)
    {
        var store = datastore == DatastoreKind.File
            ? new JsonObject { ["datastore"] = "file", ["data_dir"] = location }
            : new JsonObject { ["kubernetes"] = new JsonObject { ["kubeconfig"] = location } };
        store["type"] = "whereabouts";
        store["range"] = "10.9.0.0/24";
        var json = new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "n", ["ipam"] = store }.ToJsonString();
        var result = IpamConfigReader.Read(System.Text.Encoding.UTF8.GetBytes(json), new IpamConfigReadOptions());
        return result.Config ?? throw new InvalidOperationException(string.Join("; ", result.Errors));
    }
}
