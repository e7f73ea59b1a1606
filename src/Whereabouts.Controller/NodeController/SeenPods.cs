using System.Text.Json;
using Microsoft.Extensions.Logging;
using Whereabouts.Controller.InstallCni;

namespace Whereabouts.Controller.NodeController;

/// <summary>
/// The pods seen on this node with secondary networks, until their addresses were released. Kept in a file on the
/// node (written atomically), so that pods deleted while the controller was down or lost between watches are still
/// found on the next start or relist: whatever is here but no longer in the API server was deleted.
/// </summary>
internal sealed partial class SeenPods
{
    public const string FileName = "node-controller-pods.json";

    private const int FormatVersion = 1;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TrackedPod> _byUid = new(StringComparer.Ordinal);
    private readonly string? _path;
    private readonly string _node;
    private readonly ILogger _logger;

    /// <param name="path">The state file; null keeps the set in memory only.</param>
    public SeenPods(string? path, string node, ILogger logger)
    {
        _path = path;
        _node = node;
        _logger = logger;
    }

    public IReadOnlyList<TrackedPod> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _byUid.Values];
            }
        }
    }

    public TrackedPod? Find(string uid)
    {
        lock (_gate)
        {
            return _byUid.GetValueOrDefault(uid);
        }
    }

    /// <summary>Reads the file; a missing file is an empty set, an unreadable one is logged and replaced later.</summary>
    public void Load()
    {
        if (_path is null || !File.Exists(_path))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(_path));
            var root = document.RootElement;
            if (root.GetProperty("node").GetString() != _node)
            {
                LogOtherNode(_logger, _path, root.GetProperty("node").GetString() ?? string.Empty);
                return;
            }

            lock (_gate)
            {
                foreach (var pod in root.GetProperty("pods").EnumerateArray())
                {
                    var networks = pod.GetProperty("networks").EnumerateArray()
                        .Select(n => new NetworkRef(n.GetProperty("namespace").GetString()!, n.GetProperty("name").GetString()!))
                        .ToList();
                    var tracked = new TrackedPod(
                        pod.GetProperty("namespace").GetString()!, pod.GetProperty("name").GetString()!, pod.GetProperty("uid").GetString()!, networks);
                    _byUid[tracked.Uid] = tracked;
                }

                LogLoaded(_logger, _byUid.Count, _path);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            LogUnreadable(_logger, _path, ex.Message);
        }
    }

    /// <summary>Adds or updates a pod; true when the set changed.</summary>
    public bool Track(TrackedPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (_gate)
        {
            if (_byUid.TryGetValue(pod.Uid, out var known) && known.Networks.SequenceEqual(pod.Networks))
            {
                return false;
            }

            _byUid[pod.Uid] = pod;
            return true;
        }
    }

    public bool Forget(string uid)
    {
        lock (_gate)
        {
            return _byUid.Remove(uid);
        }
    }

    /// <summary>Writes the set to the file if it differs from what is there; a failure is logged and retried on the next save.</summary>
    public void Save()
    {
        if (_path is null)
        {
            return;
        }

        byte[] content;
        lock (_gate)
        {
            content = Render();
        }

        try
        {
            AtomicFiles.WriteIfChanged(_path, content, AtomicFiles.PrivateFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(_logger, _path, ex.Message);
        }
    }

    private byte[] Render()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            json.WriteString("node", _node);
            json.WriteStartArray("pods");
            foreach (var pod in _byUid.Values.OrderBy(static p => p.Uid, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("namespace", pod.Namespace);
                json.WriteString("name", pod.Name);
                json.WriteString("uid", pod.Uid);
                json.WriteStartArray("networks");
                foreach (var network in pod.Networks)
                {
                    json.WriteStartObject();
                    json.WriteString("namespace", network.Namespace);
                    json.WriteString("name", network.Name);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Loaded {Count} pods seen on this node before from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Ignoring {Path}: it cannot be read ({Reason}); pods deleted while the controller was down are left to the reconcile pass")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Cannot write {Path}: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Ignoring {Path}: it was written for node {Node}")]
    private static partial void LogOtherNode(ILogger logger, string path, string node);
}
