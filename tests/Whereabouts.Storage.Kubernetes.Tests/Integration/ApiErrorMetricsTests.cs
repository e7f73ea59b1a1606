using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Whereabouts.Core.Net;
using Whereabouts.Ipam;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;
using Whereabouts.Storage.Kubernetes.Tests.Support;
using Whereabouts.Testing.KubeApi;

namespace Whereabouts.Storage.Kubernetes.Tests.Integration;

/// <summary><c>whereabouts_api_errors_total{code}</c>: failed answers by status, transport failures by kind, not 404 or 409.</summary>
public sealed class ApiErrorMetricsTests : IDisposable
{
    private static readonly PoolKey Key = PoolKey.For(Cidr.Parse("10.0.0.0/24"), null);

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _codes = new(StringComparer.Ordinal);

    public ApiErrorMetricsTests()
    {
        // Creates the instruments first: while the meter's type is still initializing, its properties are null.
        _ = IpamMetrics.ApiErrors;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument, IpamMetrics.ApiErrors))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == IpamMetrics.CodeTag)
                {
                    _codes.AddOrUpdate((string)tag.Value!, value, (_, old) => old + value);
                }
            }
        });
        _listener.Start();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task FailedAnswer_CountedUnderItsStatus()
    {
        await using var cluster = await Cluster.StartAsync();
        using var fault = cluster.Faults.FailNext(1, 418, "get", "ippools");

        await Assert.ThrowsAsync<StoreDataException>(() => cluster.OpenStore().Pools.GetAsync(Key, Ct));

        Assert.Equal(1, _codes.GetValueOrDefault("418"));
    }

    [Fact]
    public async Task NotFound_IsAnAnswerNotAnError()
    {
        await using var cluster = await Cluster.StartAsync();

        Assert.Null(await cluster.OpenStore().Pools.GetAsync(Key, Ct));

        Assert.Equal(0, _codes.GetValueOrDefault("404"));
    }

    [Fact]
    public async Task ServerHangs_CountedAsTimeout()
    {
        await using var cluster = await Cluster.StartAsync();
        var store = cluster.OpenStore(requestTimeout: TimeSpan.FromMilliseconds(200));
        var before = _codes.GetValueOrDefault("timeout");
        cluster.Faults.Pause(OutageMode.Hang);

        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Pools.GetAsync(Key, Ct));

        cluster.Faults.Resume();
        Assert.True(_codes.GetValueOrDefault("timeout") > before, ex.Message);
    }
}
