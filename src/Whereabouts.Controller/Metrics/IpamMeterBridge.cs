using System.Diagnostics.Metrics;
using Prometheus;
using Whereabouts.Ipam;

namespace Whereabouts.Controller.Metrics;

/// <summary>
/// Publishes the <see cref="IpamMetrics"/> meter under the instruments' own names (prometheus-net's MeterAdapter would
/// prefix the meter name and turn counters into gauges): each <c>Counter&lt;long&gt;</c> becomes a counter, each
/// <c>Histogram&lt;double&gt;</c> a histogram. Tags are not used by the meter, so none become labels.
/// </summary>
internal sealed class IpamMeterBridge : IDisposable
{
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 90];

    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, Counter> _counters = [];
    private readonly Dictionary<Instrument, Histogram> _histograms = [];
    private readonly MetricFactory _factory;

    public IpamMeterBridge(CollectorRegistry registry)
    {
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);

        // Creates every instrument of the meter, so each is published (at zero) from the first scrape on.
        _ = IpamMetrics.Allocations;
        _listener.InstrumentPublished = Publish;
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (_counters.TryGetValue(instrument, out var counter))
            {
                counter.Inc(value);
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (_histograms.TryGetValue(instrument, out var histogram))
            {
                histogram.Observe(value);
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void Publish(Instrument instrument, MeterListener listener)
    {
        if (instrument.Meter.Name != IpamMetrics.MeterName)
        {
            return;
        }

        var help = instrument.Description ?? instrument.Name;
        switch (instrument)
        {
            case Counter<long>:
                _counters[instrument] = _factory.CreateCounter(instrument.Name, help);
                break;
            case Histogram<double>:
                _histograms[instrument] = _factory.CreateHistogram(instrument.Name, help, new HistogramConfiguration { Buckets = DurationBuckets });
                break;
            default:
                return;
        }

        listener.EnableMeasurementEvents(instrument);
    }
}
