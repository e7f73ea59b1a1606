namespace Whereabouts.Testing.KubeApi.Resources;

/// <summary>One served resource: its names, scope, schema and the per-kind rules kube-apiserver applies.</summary>
internal sealed class ResourceDefinition
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public required string ListKind { get; init; }

    public required bool Namespaced { get; init; }

    /// <summary>A custom resource (from a CRD): schema-validated and pruned, with generation, and stricter updates.</summary>
    public bool IsCustomResource { get; init; }

    /// <summary>The structural schema of a custom resource, or null for built-in kinds.</summary>
    public StructuralSchema? Schema { get; init; }

    /// <summary>The CRD's additionalPrinterColumns, for Table output.</summary>
    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [];

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Fields beyond metadata.name and metadata.namespace that field selectors may use.</summary>
    public IReadOnlyList<SelectableField> ExtraSelectableFields { get; init; } = [];

    /// <summary>Whether PUT creates a missing object (true only for events among the served kinds).</summary>
    public bool AllowCreateOnUpdate { get; init; }

    /// <summary>Whether DELETE answers with the deleted object rather than a Status (pods and namespaces).</summary>
    public bool ReturnDeletedObject { get; init; }

    /// <summary>The etcd key prefix, as it appears in storage error messages.</summary>
    public required string StoragePrefix { get; init; }

    /// <summary>Namespaces are named by DNS-1123 labels; everything else here by DNS-1123 subdomains.</summary>
    public bool NameIsDnsLabel { get; init; }

    /// <summary>Custom resources refuse a PUT without resourceVersion; built-in kinds update unconditionally.</summary>
    public bool AllowUnconditionalUpdate => !IsCustomResource;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The group-qualified resource as Go's GroupResource.String() prints it.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public bool IsPods => Group.Length == 0 && Plural == "pods";

    public bool IsNamespaces => Group.Length == 0 && Plural == "namespaces";

    public string StorageKey(string? namespaceName, string name) =>
        Namespaced ? $"{StoragePrefix}/{namespaceName}/{name}" : $"{StoragePrefix}/{name}";

    public override string ToString() => QualifiedResource;
}
