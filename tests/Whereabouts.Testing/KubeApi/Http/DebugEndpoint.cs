using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>
/// Test-only controls under /debug for scripts and benchmarks that run the server as a process
/// (no authentication, not counted, not subject to faults or outages):
/// GET /debug/counters, POST /debug/counters/reset, POST /debug/pause?mode=hang|refuse,
/// POST /debug/resume, POST /debug/latency?ms=&amp;jitterMs=&amp;writeMs=&amp;writeJitterMs=,
/// POST /debug/faults?code=&amp;count=|fraction=&amp;verb=&amp;resource=&amp;drop=true&amp;point=after,
/// POST /debug/faults/clear.
/// </summary>
internal sealed class DebugEndpoint
{
    private readonly KubeApiFaults _faults;
    private readonly KubeApiCounters _counters;

    public DebugEndpoint(KubeApiFaults faults, KubeApiCounters counters)
    {
        _faults = faults;
        _counters = counters;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var query = request.Query;
        var isPost = HttpMethods.IsPost(request.Method);
        switch (request.Path.Value)
        {
            case "/debug/counters" when HttpMethods.IsGet(request.Method):
                await WriteAsync(http, 200, CountersJson()).ConfigureAwait(false);
                return;
            case "/debug/counters/reset" when isPost:
                _counters.Reset();
                break;
            case "/debug/pause" when isPost:
                _faults.Pause(string.Equals(query["mode"], "refuse", StringComparison.OrdinalIgnoreCase) ? OutageMode.Refuse : OutageMode.Hang);
                break;
            case "/debug/resume" when isPost:
                _faults.Resume();
                break;
            case "/debug/latency" when isPost:
                _faults.SetLatency(Milliseconds(query["ms"]), Milliseconds(query["jitterMs"]));
                _faults.SetWriteLatency(Milliseconds(query["writeMs"]), Milliseconds(query["writeJitterMs"]));
                break;
            case "/debug/faults" when isPost:
                AddFault(query);
                break;
            case "/debug/faults/clear" when isPost:
                _faults.Clear();
                break;
            default:
                await WriteAsync(http, 404, """{"error":"unknown debug endpoint"}"""u8.ToArray()).ConfigureAwait(false);
                return;
        }

        await WriteAsync(http, 200, """{"ok":true}"""u8.ToArray()).ConfigureAwait(false);
    }

    private void AddFault(IQueryCollection query)
    {
        var verb = NullIfEmpty(query["verb"]);
        var resource = NullIfEmpty(query["resource"]);
        var point = string.Equals(query["point"], "after", StringComparison.OrdinalIgnoreCase) ? FaultPoint.AfterProcessing : FaultPoint.BeforeProcessing;
        var drop = string.Equals(query["drop"], "true", StringComparison.OrdinalIgnoreCase);
        var code = int.TryParse(query["code"], CultureInfo.InvariantCulture, out var parsed) ? parsed : 500;
        if (double.TryParse(query["fraction"], CultureInfo.InvariantCulture, out var fraction) && fraction > 0)
        {
            _ = drop ? _faults.DropFraction(fraction, verb, resource, point) : _faults.FailFraction(fraction, code, verb, resource, point);
            return;
        }

        var count = int.TryParse(query["count"], CultureInfo.InvariantCulture, out var n) ? n : 1;
        _ = drop ? _faults.DropNext(count, verb, resource, point) : _faults.FailNext(count, code, verb, resource, point);
    }

    private byte[] CountersJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var snapshot = _counters.Snapshot();
            writer.WriteStartObject();
            writer.WriteNumber("total", snapshot.Sum(c => c.Count));
            writer.WriteStartArray("counters");
            foreach (var counter in snapshot)
            {
                writer.WriteStartObject();
                writer.WriteString("verb", counter.Verb);
                writer.WriteString("resource", counter.Resource);
                writer.WriteNumber("code", counter.StatusCode);
                writer.WriteNumber("count", counter.Count);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static TimeSpan Milliseconds(string? value) =>
        double.TryParse(value, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task WriteAsync(HttpContext http, int statusCode, byte[] json)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
    }
}
