{{/*
Labels shared by every object of the chart.
*/}}
{{- define "whereabouts.labels" -}}
app.kubernetes.io/name: whereabouts
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/*
Container image: the tag defaults to the chart's appVersion.
*/}}
{{- define "whereabouts.image" -}}
{{ printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
ServiceAccount used by the DaemonSet and the CronJob (and bound by the RBAC objects).
*/}}
{{- define "whereabouts.serviceAccountName" -}}
{{ required "serviceAccount.name is required" .Values.serviceAccount.name }}
{{- end }}

{{/*
Namespace of every namespaced object: the package's `namespace` value, not the release namespace.
*/}}
{{- define "whereabouts.namespace" -}}
{{ required "namespace is required" .Values.namespace }}
{{- end }}

{{/*
Environment every controller command reads: the node it runs on and the namespace of its pools.
*/}}
{{- define "whereabouts.env" -}}
- name: NODENAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
- name: WHEREABOUTS_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end }}

{{/* The node agent's unix socket, as the host (and, mounted at the same path, the controller) sees it. */}}
{{- define "whereabouts.agentSocket" -}}
{{ printf "%s/agent.sock" (.Values.agent.socketDir | trimSuffix "/") }}
{{- end }}
