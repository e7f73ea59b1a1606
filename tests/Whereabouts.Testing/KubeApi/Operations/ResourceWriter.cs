using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whereabouts.Testing.KubeApi.Json;
using Whereabouts.Testing.KubeApi.Metadata;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Status;
using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>
/// Create, update (PUT) and patch with kube-apiserver's order of checks: decode, namespace and
/// name, admission (namespace lifecycle), resourceVersion preconditions, BeforeCreate/BeforeUpdate,
/// validation, then a compare-and-swap write that is retried, as GuaranteedUpdate retries, when a
/// concurrent write wins and the request carried no resourceVersion of its own.
/// </summary>
internal sealed class ResourceWriter
{
    private const int GenerateNameAttempts = 8;

    private readonly ObjectStore _store;
    private readonly ResourceCatalog _catalog;
    private readonly KubeApiServerOptions _options;

    public ResourceWriter(ObjectStore store, ResourceCatalog catalog, KubeApiServerOptions options)
    {
        _store = store;
        _catalog = catalog;
        _options = options;
    }

    /// <summary>
    /// Creates an object. Test helpers may skip validation (<paramref name="validate"/>) and adjust
    /// the prepared object just before it is stored (<paramref name="finish"/>).
    /// </summary>
    public StoredObject Create(ResourceDefinition resource, string? namespaceName, JsonObject body, WriteOptions options,
        bool validate = true, Action<JsonObject>? finish = null)
    {
        ObjectChecks.CheckTypeMeta(resource, body);
        var metadata = Decode(resource, body, options);
        ObjectChecks.EnsureNamespace(resource, metadata, namespaceName);

        ObjectChecks.ApplyCreateDefaults(resource, body);
        RequireNamespace(resource, ObjectMeta.GetString(metadata, "namespace"));
        var requestedRevision = ObjectMeta.GetString(metadata, "resourceVersion");
        var generated = ObjectMeta.GetString(metadata, "name").Length == 0;
        for (var attempt = 1; ; attempt++)
        {
            var candidate = (JsonObject)body.DeepClone();
            var candidateMetadata = (JsonObject)candidate["metadata"]!;
            ObjectMeta.PrepareForCreate(candidateMetadata, resource, _options.TimeProvider.GetUtcNow());
            ObjectChecks.ApplyNameDefaults(resource, candidateMetadata);
            finish?.Invoke(candidate);
            var name = ObjectMeta.GetString(candidateMetadata, "name");
            if (validate)
            {
                var errors = ObjectMeta.ValidateCreate(candidateMetadata, resource);
                if (resource.Schema is not null)
                {
                    errors.AddRange(SchemaValidator.Validate(candidate, resource.Schema));
                }

                if (errors.Count > 0)
                {
                    throw ApiErrors.Invalid(resource, name, errors);
                }
            }

            if (long.TryParse(requestedRevision, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) && revision != 0)
            {
                throw ApiErrors.Unclassified("resourceVersion should not be set on objects to be created");
            }

            try
            {
                return _store.Put(resource, candidate, expectedRevision: 0);
            }
            catch (StoreConflictException) when (generated && attempt < GenerateNameAttempts)
            {
                // kube-apiserver retries a generateName collision with a new random suffix.
            }
            catch (StoreConflictException)
            {
                throw ApiErrors.AlreadyExists(resource, name);
            }
        }
    }

    /// <summary>PUT of a whole object (or of a pod's status through <paramref name="subresource"/>).</summary>
    public (StoredObject Stored, bool Created) Update(ResourceDefinition resource, string? namespaceName, string name, JsonObject body,
        string? subresource, WriteOptions options)
    {
        ObjectChecks.CheckTypeMeta(resource, body);
        var metadata = Decode(resource, body, options);
        ObjectChecks.EnsureNamespace(resource, metadata, namespaceName);
        ObjectChecks.CheckName(metadata, name);

        var requestedRevision = ObjectMeta.GetString(metadata, "resourceVersion");
        var requestedUid = ObjectMeta.GetString(metadata, "uid");
        while (true)
        {
            var current = _store.Get(resource, StoredObject.KeyOf(resource, namespaceName, name));
            if (current is null)
            {
                if (resource.AllowCreateOnUpdate && subresource is null)
                {
                    metadata.Remove("resourceVersion");
                    return (Create(resource, namespaceName, body, new WriteOptions(FieldValidation.Ignore)), true);
                }

                throw ApiErrors.NotFound(resource, name);
            }

            if (requestedUid.Length > 0 && requestedUid != current.Uid)
            {
                throw ApiErrors.Conflict(resource, name,
                    $"StorageError: invalid object, Code: 4, Key: {resource.StorageKey(namespaceName, name)}, ResourceVersion: 0, " +
                    $"AdditionalErrorMsg: Precondition failed: UID in precondition: {requestedUid}, UID in object meta: {current.Uid}");
            }

            CheckResourceVersion(resource, name, requestedRevision, current);
            var currentJson = current.ToJsonObject();
            var updated = ObjectChecks.ScopeToSubresource(resource, (JsonObject)body.DeepClone(), currentJson, subresource);
            var stored = CommitUpdate(resource, name, current, currentJson, updated, conditional: requestedRevision.Length > 0);
            if (stored is not null)
            {
                return (stored, false);
            }
        }
    }

    public StoredObject Patch(ResourceDefinition resource, string? namespaceName, string name, PatchKind kind, ReadOnlySpan<byte> patch,
        string? subresource, WriteOptions options)
    {
        IReadOnlyList<JsonObject>? operations = null;
        JsonNode? mergePatch = null;
        try
        {
            if (kind == PatchKind.Json)
            {
                operations = JsonPatch.Decode(patch);
            }
            else
            {
                mergePatch = RequestJson.Parse(patch, options.Duplicates);
            }
        }
        catch (JsonException e)
        {
            throw kind == PatchKind.Json ? ApiErrors.BadRequest(e.Message) : ApiErrors.BadRequest("Invalid JSON Patch");
        }

        if (operations?.Count > JsonPatch.MaxOperations)
        {
            throw ApiErrors.RequestEntityTooLarge(
                string.Create(CultureInfo.InvariantCulture, $"The allowed maximum operations in a JSON patch is {JsonPatch.MaxOperations}, got {operations.Count}"));
        }

        if (kind != PatchKind.Json && mergePatch is not JsonObject)
        {
            throw ApiErrors.BadRequest("Invalid JSON Patch");
        }

        while (true)
        {
            var current = _store.Get(resource, StoredObject.KeyOf(resource, namespaceName, name)) ?? throw ApiErrors.NotFound(resource, name);
            var currentJson = current.ToJsonObject();
            JsonNode? patched;
            try
            {
                patched = operations is not null ? JsonPatch.Apply(currentJson, operations) : MergePatch.Apply(currentJson, mergePatch);
            }
            catch (JsonPatchException)
            {
                throw ApiErrors.PatchNotApplicable();
            }

            if (patched is not JsonObject updated)
            {
                throw ApiErrors.BadRequest($"{resource.Kind} in version {FieldError.GoQuote(resource.Version)} cannot be handled as a {resource.Kind}: the patched document is not an object");
            }

            options.Warnings.Clear();
            var metadata = Decode(resource, updated, options);
            ObjectChecks.CheckName(metadata, name);
            ObjectChecks.EnsureNamespace(resource, metadata, namespaceName);
            updated["apiVersion"] = resource.ApiVersion;
            updated["kind"] = resource.Kind;

            CheckResourceVersion(resource, name, ObjectMeta.GetString(metadata, "resourceVersion"), current);
            updated = ObjectChecks.ScopeToSubresource(resource, updated, currentJson, subresource);
            var stored = CommitUpdate(resource, name, current, currentJson, updated, conditional: false);
            if (stored is not null)
            {
                return stored;
            }
        }
    }

    /// <summary>Replaces an object from a test helper: no validation, and the stored uid and creation time are kept.</summary>
    public StoredObject Replace(ResourceDefinition resource, JsonObject body)
    {
        var metadata = ObjectMeta.Normalize(body, resource);
        body["apiVersion"] = resource.ApiVersion;
        body["kind"] = resource.Kind;
        var name = ObjectMeta.GetString(metadata, "name");
        var namespaceName = resource.Namespaced ? ObjectMeta.GetString(metadata, "namespace") : null;
        while (true)
        {
            var current = _store.Get(resource, StoredObject.KeyOf(resource, namespaceName, name)) ?? throw ApiErrors.NotFound(resource, name);
            var updated = (JsonObject)body.DeepClone();
            var currentJson = current.ToJsonObject();
            ObjectMeta.PrepareForUpdate(updated, currentJson, resource);
            ((JsonObject)updated["metadata"]!)["resourceVersion"] = current.Revision.ToString(CultureInfo.InvariantCulture);
            if (Unchanged(updated, current))
            {
                return current;
            }

            try
            {
                return _store.Put(resource, updated, current.Revision);
            }
            catch (StoreConflictException)
            {
                // Lost a race with another writer; read again.
            }
        }
    }

    /// <summary>
    /// Decodes the body as the server's codec does: metadata becomes ObjectMeta and a custom
    /// resource is pruned to its schema; unknown fields are then warned about or refused.
    /// </summary>
    private static JsonObject Decode(ResourceDefinition resource, JsonObject body, WriteOptions options)
    {
        var unknown = new List<string>();
        var metadata = ObjectMeta.Normalize(body, resource, unknown);
        if (resource.Schema is not null)
        {
            SchemaValidator.Prune(body, resource.Schema, unknown);
        }

        var messages = options.Duplicates.Select(path => $"duplicate field {FieldError.GoQuote(path)}")
            .Concat(unknown.Select(path => $"unknown field {FieldError.GoQuote(path)}")).ToList();
        switch (options.FieldValidation)
        {
            case FieldValidation.Strict when messages.Count > 0:
                throw ApiErrors.BadRequest(
                    $"{resource.Kind} in version {FieldError.GoQuote(resource.Version)} cannot be handled as a {resource.Kind}: strict decoding error: {string.Join(", ", messages)}");
            case FieldValidation.Warn:
                options.Warnings.AddRange(messages);
                break;
        }

        return metadata;
    }

    /// <summary>The resourceVersion precondition of an update (store.Update's check).</summary>
    private static void CheckResourceVersion(ResourceDefinition resource, string name, string requested, StoredObject current)
    {
        if (requested.Length == 0)
        {
            if (!resource.AllowUnconditionalUpdate)
            {
                // The generic store names the resource where the kind belongs (kubernetes#18526).
                throw ApiErrors.Invalid(resource.Group, resource.Plural, name,
                    [FieldError.InvalidRaw("metadata.resourceVersion", "0x0", "must be specified for an update")]);
            }

            return;
        }

        if (!long.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) || revision != current.Revision)
        {
            throw ApiErrors.OptimisticLock(resource, name);
        }
    }

    /// <summary>BeforeUpdate, validation and the write. Null means a concurrent write won and the caller should start over.</summary>
    private StoredObject? CommitUpdate(ResourceDefinition resource, string name, StoredObject current, JsonObject currentJson, JsonObject updated, bool conditional)
    {
        ObjectMeta.PrepareForUpdate(updated, currentJson, resource);
        var metadata = (JsonObject)updated["metadata"]!;
        metadata["resourceVersion"] = current.Revision.ToString(CultureInfo.InvariantCulture);
        var errors = ObjectMeta.ValidateUpdate(metadata, (JsonObject)currentJson["metadata"]!);
        if (resource.Schema is not null)
        {
            errors.AddRange(SchemaValidator.Validate(updated, resource.Schema));
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(resource, name, errors);
        }

        if (Unchanged(updated, current))
        {
            // etcd3's GuaranteedUpdate skips a write that changes nothing: no new resourceVersion, no event.
            return current;
        }

        try
        {
            return _store.Put(resource, updated, current.Revision);
        }
        catch (StoreConflictException e) when (conditional)
        {
            throw e.Kind == StoreConflictKind.Missing ? ApiErrors.NotFound(resource, name) : ApiErrors.OptimisticLock(resource, name);
        }
        catch (StoreConflictException)
        {
            return null;
        }
    }

    /// <summary>Whether the new state (stamped with the current revision) serializes to the stored bytes.</summary>
    private static bool Unchanged(JsonObject updated, StoredObject current) => CanonicalJson.Serialize(updated).AsSpan().SequenceEqual(current.Json);

    /// <summary>The NamespaceLifecycle admission plugin: namespaced objects need an existing namespace.</summary>
    private void RequireNamespace(ResourceDefinition resource, string namespaceName)
    {
        if (!_options.RequireNamespaces || !resource.Namespaced || namespaceName.Length == 0)
        {
            return;
        }

        if (_store.Get(_catalog.Namespaces, namespaceName) is null)
        {
            throw ApiErrors.NotFound("", "namespaces", namespaceName);
        }
    }
}
