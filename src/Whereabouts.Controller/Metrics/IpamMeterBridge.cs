using System.Diagnostics.Metrics;
using Prometheus;
using Whereabouts.Ipam;

namespace Whereabouts.Controller.Metrics;

/// <summary>
/// Publishes the <see cref="IpamMetrics"/> meter under the instruments' own names (prometheus-net's MeterAdapter would
/// prefix the meter name and turn counters into gauges): each <c>Counter&lt;long&gt;</c> becomes a counter, each
/// <c>Histogram&lt;double&gt;</c> a histogram. Only the tags listed in <see cref="LabelsOf"/> become labels.
/// </summary>
internal sealed class IpamMeterBridge : IDisposable
{
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 90];

    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, (Counter Counter, string[] Labels)> _counters = [];
    private readonly Dictionary<Instrument, Histogram> _histograms = [];
    private readonly MetricFactory _factory;

    public IpamMeterBridge(CollectorRegistry registry)
    {
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);

        // Creates every instrument of the meter, so each is published (at zero) from the first scrape on, and so that
        // LabelsOf never runs while the meter's type is still initializing (its properties would still be null).
        _ = IpamMetrics.Allocations;
        _listener.InstrumentPublished = Publish;
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!_counters.TryGetValue(instrument, out var counter))
            {
                return;
            }

            if (counter.Labels.Length == 0)
            {
                counter.Counter.Inc(value);
                return;
            }

            var values = new string[counter.Labels.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = string.Empty;
                foreach (var tag in tags)
                {
                    if (tag.Key == counter.Labels[i])
                    {
                        values[i] = tag.Value?.ToString() ?? string.Empty;
                    }
                }
            }

            counter.Counter.WithLabels(values).Inc(value);
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

    /// <summary>The tags of an instrument that become labels: the status code of the API error counter.</summary>
    private static string[] LabelsOf(Instrument instrument) =>
        ReferenceEquals(instrument, IpamMetrics.ApiErrors) ? [IpamMetrics.CodeTag] : [];

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
                var labels = LabelsOf(instrument);
                _counters[instrument] = (_factory.CreateCounter(instrument.Name, help, labels), labels);
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
