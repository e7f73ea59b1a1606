using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi.Operations;
using Whereabouts.Testing.KubeApi.Status;
using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi;

/// <summary>
/// Direct access to the server's objects for arranging and asserting, bypassing HTTP,
/// authentication and faults. Writes go through the same store as API requests: they get a new
/// resourceVersion and reach watchers. Resources are named by plural ("ippools", "pods") or
/// group-qualified plural ("ippools.whereabouts.cni.cncf.io"). Objects are returned as copies.
/// </summary>
public sealed class KubeApiStore
{
    private readonly ApiBackend _backend;

    internal KubeApiStore(ApiBackend backend)
    {
        _backend = backend;
    }

    /// <summary>The current (global) resourceVersion.</summary>
    public long ResourceVersion => _backend.Store.Revision;

    public JsonObject? Get(string resource, string? namespaceName, string name)
    {
        var definition = _backend.Catalog.Get(resource);
        return _backend.Store.Get(definition, StoredObject.KeyOf(definition, namespaceName, name))?.ToJsonObject();
    }

    /// <summary>The objects of a resource in one namespace (or all), in key order.</summary>
    public IReadOnlyList<JsonObject> List(string resource, string? namespaceName = null) =>
        [.. _backend.Store.List(_backend.Catalog.Get(resource), namespaceName, null).Items.Select(o => o.ToJsonObject())];

    /// <summary>
    /// Creates an object as the API would (system fields, generateName, defaults, namespace must
    /// exist) but, unless <paramref name="validate"/>, without name or schema validation, so tests can
    /// also plant objects the API would refuse. Throws <see cref="KubeStatusException"/> like the API.
    /// </summary>
    public JsonObject Create(string resource, JsonObject body, bool validate = false)
    {
        var definition = _backend.Catalog.Get(resource);
        var copy = (JsonObject)body.DeepClone();
        copy["kind"] ??= definition.Kind;
        var namespaceName = definition.Namespaced ? (string?)copy["metadata"]?["namespace"] ?? "default" : null;
        return _backend.Writer.Create(definition, namespaceName, copy, WriteOptions.Quiet, validate).ToJsonObject();
    }

    /// <summary>Changes a stored object in place (no validation); returns the stored result.</summary>
    public JsonObject Update(string resource, string? namespaceName, string name, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var definition = _backend.Catalog.Get(resource);
        var current = _backend.Store.Get(definition, StoredObject.KeyOf(definition, namespaceName, name))
            ?? throw ApiErrors.NotFound(definition, name);
        var body = current.ToJsonObject();
        change(body);
        return _backend.Writer.Replace(definition, body).ToJsonObject();
    }

    /// <summary>Deletes an object at once (no grace period, no preconditions). False when it did not exist.</summary>
    public bool Delete(string resource, string? namespaceName, string name)
    {
        var definition = _backend.Catalog.Get(resource);
        try
        {
            _backend.Store.Delete(definition, StoredObject.KeyOf(definition, namespaceName, name), expectedRevision: null);
            return true;
        }
        catch (StoreConflictException)
        {
            return false;
        }
    }

    /// <summary>Forgets all watch history: every older resourceVersion and continue token is now expired (410).</summary>
    public void Compact() => _backend.Store.Compact();

    public JsonObject CreateNamespace(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject([.. labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]);
        }

        return Create("namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = metadata }, validate: true);
    }

    public JsonObject CreateNode(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject([.. labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]);
        }

        return Create("nodes", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = metadata }, validate: true);
    }

    /// <summary>
    /// Creates a pod with the node, phase, uid, labels, annotations and owners given; unlike an API
    /// create (which resets status to Pending and picks the uid), the phase and uid are kept.
    /// </summary>
    public JsonObject CreatePod(TestPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var desired = pod.ToJson();
        return _backend.Writer.Create(_backend.Catalog.Get("pods"), pod.Namespace, pod.ToJson(), WriteOptions.Quiet, validate: true, finish: created =>
        {
            created["status"] = desired["status"]!.DeepClone();
            if (pod.Uid is not null)
            {
                created["metadata"]!["uid"] = pod.Uid;
            }
        }).ToJsonObject();
    }

    /// <summary>Sets status.phase of a pod (what the kubelet reports).</summary>
    public JsonObject SetPodPhase(string namespaceName, string name, string phase) =>
        Update("pods", namespaceName, name, pod =>
        {
            var status = pod["status"] as JsonObject ?? new JsonObject();
            pod["status"] = status;
            status["phase"] = phase;
        });

    /// <summary>Deletes a pod as a DELETE request would: gracefully (deletionTimestamp set, pod kept) unless the grace is 0 or the pod is unscheduled or finished.</summary>
    public JsonObject DeletePod(string namespaceName, string name, long? gracePeriodSeconds = null)
    {
        var result = _backend.Deleter.Delete(_backend.Catalog.Get("pods"), namespaceName, name, new DeleteOptions(gracePeriodSeconds));
        return result.Object.ToJsonObject();
    }

    /// <summary>Completes a graceful pod deletion (as the kubelet does): the pod is removed. False when it was not terminating.</summary>
    public bool FinishPodDeletion(string namespaceName, string name) =>
        _backend.Deleter.FinishPodDeletion(_backend.Catalog.Get("pods"), namespaceName, name);

    /// <summary>Completes every pending graceful pod deletion; returns how many pods were removed.</summary>
    public int FinishAllPodDeletions() =>
        List("pods").Where(p => p["metadata"]?["deletionTimestamp"] is not null)
            .Count(p => FinishPodDeletion((string)p["metadata"]!["namespace"]!, (string)p["metadata"]!["name"]!));
}
