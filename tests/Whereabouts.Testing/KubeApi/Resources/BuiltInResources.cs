namespace Whereabouts.Testing.KubeApi.Resources;

/// <summary>The resources served besides the CRDs from deploy/crds: the built-in kinds the project touches and Multus' NAD CRD.</summary>
internal static class BuiltInResources
{
    /// <summary>Multus' CRD, as the cluster would have it installed (only its schema matters here).</summary>
    private const string NetworkAttachmentDefinitionCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: network-attachment-definitions.k8s.cni.cncf.io
        spec:
          group: k8s.cni.cncf.io
          scope: Namespaced
          names:
            plural: network-attachment-definitions
            singular: network-attachment-definition
            kind: NetworkAttachmentDefinition
            shortNames:
              - net-attach-def
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    apiVersion:
                      type: string
                    kind:
                      type: string
                    metadata:
                      type: object
                    spec:
                      type: object
                      properties:
                        config:
                          type: string
        """;

    public static IReadOnlyList<ResourceDefinition> Create() =>
    [
        new()
        {
            Group = "",
            Version = "v1",
            Plural = "pods",
            Singular = "pod",
            Kind = "Pod",
            ListKind = "PodList",
            Namespaced = true,
            ShortNames = ["po"],
            Categories = ["all"],
            ReturnDeletedObject = true,
            StoragePrefix = "/registry/pods",
            ExtraSelectableFields =
            [
                SelectableField.String("spec.nodeName"),
                SelectableField.String("spec.restartPolicy"),
                SelectableField.String("spec.schedulerName"),
                SelectableField.String("spec.serviceAccountName"),
                SelectableField.Boolean("spec.hostNetwork"),
                SelectableField.String("status.phase"),
                SelectableField.String("status.podIP"),
                SelectableField.String("status.nominatedNodeName"),
            ],
        },
        new()
        {
            Group = "",
            Version = "v1",
            Plural = "nodes",
            Singular = "node",
            Kind = "Node",
            ListKind = "NodeList",
            Namespaced = false,
            ShortNames = ["no"],
            StoragePrefix = "/registry/minions",
            ExtraSelectableFields = [SelectableField.Boolean("spec.unschedulable")],
        },
        new()
        {
            Group = "",
            Version = "v1",
            Plural = "namespaces",
            Singular = "namespace",
            Kind = "Namespace",
            ListKind = "NamespaceList",
            Namespaced = false,
            ShortNames = ["ns"],
            ReturnDeletedObject = true,
            NameIsDnsLabel = true,
            StoragePrefix = "/registry/namespaces",
            ExtraSelectableFields = [SelectableField.String("status.phase")],
        },
        new()
        {
            Group = "",
            Version = "v1",
            Plural = "events",
            Singular = "event",
            Kind = "Event",
            ListKind = "EventList",
            Namespaced = true,
            ShortNames = ["ev"],
            AllowCreateOnUpdate = true,
            StoragePrefix = "/registry/events",
            ExtraSelectableFields =
            [
                SelectableField.String("involvedObject.kind"),
                SelectableField.String("involvedObject.namespace"),
                SelectableField.String("involvedObject.name"),
                SelectableField.String("involvedObject.uid"),
                SelectableField.String("involvedObject.apiVersion"),
                SelectableField.String("involvedObject.resourceVersion"),
                SelectableField.String("involvedObject.fieldPath"),
                SelectableField.String("reason"),
                SelectableField.String("reportingComponent"),
                SelectableField.String("source"),
                SelectableField.String("type"),
            ],
        },
        new()
        {
            Group = "coordination.k8s.io",
            Version = "v1",
            Plural = "leases",
            Singular = "lease",
            Kind = "Lease",
            ListKind = "LeaseList",
            Namespaced = true,
            StoragePrefix = "/registry/leases",
        },
        .. CrdLoader.Load(NetworkAttachmentDefinitionCrd, "built-in NetworkAttachmentDefinition CRD"),
    ];
}
