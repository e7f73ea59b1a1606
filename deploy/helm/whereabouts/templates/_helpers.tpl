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

{{/*
Value of --metrics-bind-address: the configured address, or the node's IP from the NODE_IP variable.
*/}}
{{- define "whereabouts.metricsBindAddress" -}}
{{ .Values.metrics.bindAddress | default "$(NODE_IP)" }}
{{- end }}

{{/*
Host the kubelet probes /healthz on. Empty (the pod IP, which is the node's IP on the host network)
unless the endpoint is bound to one other address, such as 127.0.0.1.
*/}}
{{- define "whereabouts.probeHost" -}}
{{- $address := .Values.metrics.bindAddress -}}
{{- if and $address (not (has $address (list "0.0.0.0" "::"))) -}}
{{ $address }}
{{- end -}}
{{- end }}

{{/*
True when the metrics endpoint listens only on loopback, where nothing off the node can scrape it.
*/}}
{{- define "whereabouts.metricsOnLoopback" -}}
{{- $address := .Values.metrics.bindAddress -}}
{{- if or (hasPrefix "127." $address) (eq $address "::1") -}}
true
{{- end -}}
{{- end }}

{{/* The node agent's unix socket, as the host (and, mounted at the same path, the controller) sees it. */}}
{{- define "whereabouts.agentSocket" -}}
{{ printf "%s/agent.sock" (.Values.agent.socketDir | trimSuffix "/") }}
{{- end }}
