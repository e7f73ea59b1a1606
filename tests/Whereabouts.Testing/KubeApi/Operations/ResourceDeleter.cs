using System.Globalization;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi.Metadata;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Status;
using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>
/// Delete with kube-apiserver's preconditions, pods' graceful deletion (deletionTimestamp first,
/// removal later by the kubelet, here a test helper or <see cref="KubeApiServerOptions.PodTerminationDelay"/>),
/// and namespace deletion (contents first).
/// </summary>
internal sealed class ResourceDeleter
{
    /// <summary>Namespaces kube-apiserver refuses to delete.</summary>
    private static readonly HashSet<string> ProtectedNamespaces = new(StringComparer.Ordinal) { "default", "kube-system", "kube-public" };

    private readonly ObjectStore _store;
    private readonly KubeApiServerOptions _options;
    private readonly CancellationToken _stopping;

    public ResourceDeleter(ObjectStore store, KubeApiServerOptions options, CancellationToken stopping)
    {
        _store = store;
        _options = options;
        _stopping = stopping;
    }

    public DeleteResult Delete(ResourceDefinition resource, string? namespaceName, string name, DeleteOptions options)
    {
        var key = StoredObject.KeyOf(resource, namespaceName, name);
        while (true)
        {
            var current = _store.Get(resource, key) ?? throw ApiErrors.NotFound(resource, name);
            CheckPreconditions(resource, name, current, options);
            if (resource.IsNamespaces)
            {
                if (ProtectedNamespaces.Contains(name))
                {
                    throw ApiErrors.Forbidden("", "namespaces", name, "this namespace may not be deleted");
                }

                _store.DeleteNamespaceContents(name);
            }

            if (resource.IsPods)
            {
                var pod = current.ToJsonObject();
                var grace = PodGracePeriod(pod, options);
                if (grace > 0)
                {
                    var graceful = BeginGracefulDeletion(resource, current, pod, grace);
                    if (graceful is null)
                    {
                        continue;
                    }

                    return graceful;
                }
            }

            try
            {
                return new DeleteResult(_store.Delete(resource, key, current.Revision), Deleted: true);
            }
            catch (StoreConflictException)
            {
                // Changed under us: preconditions and grace are judged again on the new state.
            }
        }
    }

    /// <summary>Removes a pod whose graceful deletion has begun, as the kubelet does once its containers stopped.</summary>
    public bool FinishPodDeletion(ResourceDefinition pods, string namespaceName, string name, string? uid = null)
    {
        var key = StoredObject.KeyOf(pods, namespaceName, name);
        while (true)
        {
            var current = _store.Get(pods, key);
            if (current is null || (uid is not null && current.Uid != uid)
                || current.ToJsonObject()["metadata"]?["deletionTimestamp"] is null)
            {
                return false;
            }

            try
            {
                _store.Delete(pods, key, current.Revision);
                return true;
            }
            catch (StoreConflictException)
            {
                // Changed under us; look again.
            }
        }
    }

    /// <summary>rest.BeforeDelete's early precondition check; note it names the kind, not the resource.</summary>
    private static void CheckPreconditions(ResourceDefinition resource, string name, StoredObject current, DeleteOptions options)
    {
        if (options.PreconditionUid is { } uid && uid != current.Uid)
        {
            throw ApiErrors.Conflict(resource.Group, resource.Kind, name,
                $"the UID in the precondition ({uid}) does not match the UID in record ({current.Uid}). The object might have been deleted and then recreated");
        }

        var revision = current.Revision.ToString(CultureInfo.InvariantCulture);
        if (options.PreconditionResourceVersion is { } rv && rv != revision)
        {
            throw ApiErrors.Conflict(resource.Group, resource.Kind, name,
                $"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({revision}). The object might have been modified");
        }
    }

    /// <summary>podStrategy.CheckGracefulDelete: unscheduled and finished pods go at once.</summary>
    private static long PodGracePeriod(JsonObject pod, DeleteOptions options)
    {
        var spec = pod["spec"] as JsonObject;
        var period = options.GracePeriodSeconds
            ?? (spec?["terminationGracePeriodSeconds"] is JsonValue value && value.TryGetValue<long>(out var fromSpec) ? fromSpec : 0);
        if (string.IsNullOrEmpty((string?)spec?["nodeName"]))
        {
            period = 0;
        }

        if ((string?)pod["status"]?["phase"] is "Failed" or "Succeeded")
        {
            period = 0;
        }

        return period < 0 ? 1 : period;
    }

    /// <summary>
    /// Marks the pod terminating (MODIFIED) or shortens its grace; a longer or equal grace changes
    /// nothing. Null means a concurrent write won.
    /// </summary>
    private DeleteResult? BeginGracefulDeletion(ResourceDefinition resource, StoredObject current, JsonObject pod, long grace)
    {
        var metadata = (JsonObject)pod["metadata"]!;
        var now = _options.TimeProvider.GetUtcNow();
        var deadline = now.AddSeconds(grace);
        if (ObjectMeta.GetInteger(metadata, "deletionGracePeriodSeconds") is { } existingGrace)
        {
            if (grace >= existingGrace)
            {
                return new DeleteResult(current, Deleted: false);
            }

            if (DateTimeOffset.TryParse(ObjectMeta.GetString(metadata, "deletionTimestamp"), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var existingDeadline))
            {
                deadline = existingDeadline.AddSeconds(grace - existingGrace);
            }
        }

        metadata["deletionTimestamp"] = ObjectMeta.FormatTimestamp(deadline);
        metadata["deletionGracePeriodSeconds"] = grace;
        StoredObject stored;
        try
        {
            stored = _store.Put(resource, pod, current.Revision);
        }
        catch (StoreConflictException)
        {
            return null;
        }

        if (_options.PodTerminationDelay is { } delay)
        {
            _ = FinishLaterAsync(resource, stored, delay);
        }

        return new DeleteResult(stored, Deleted: false);
    }

    private async Task FinishLaterAsync(ResourceDefinition pods, StoredObject pod, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _options.TimeProvider, _stopping).ConfigureAwait(false);
            FinishPodDeletion(pods, pod.Namespace, pod.Name, pod.Uid);
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }
}
