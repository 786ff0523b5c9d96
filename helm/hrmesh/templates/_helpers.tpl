{{/* Names, labels and the per-service settings shared by every template. */}}

{{- define "hrmesh.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hrmesh.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Every service in start order: governance first (others ask it for consent). The same list
as the registry in proto/src/lib.rs; an integration test keeps them equal. */}}
{{- define "hrmesh.allServices" -}}
governance people recruiting onboarding analytics engagement skills performance selfservice
{{- end -}}

{{/* Name of one service's objects: (dict "root" $ "svc" "recruiting"). */}}
{{- define "hrmesh.svcName" -}}
{{- printf "%s-%s" (include "hrmesh.fullname" .root) .svc -}}
{{- end -}}

{{- define "hrmesh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hrmesh.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .svc }}
{{- end -}}

{{- define "hrmesh.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "hrmesh.selectorLabels" . }}
app.kubernetes.io/part-of: hrmesh
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of objects that belong to no single service. */}}
{{- define "hrmesh.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "hrmesh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: hrmesh
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* `defaults` overridden by `services.<svc>`, as YAML: (dict "root" $ "svc" "recruiting"). */}}
{{- define "hrmesh.svcValues" -}}
{{- $own := index .root.Values.services .svc | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $own)) -}}
{{- end -}}

{{- define "hrmesh.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* HRMESH_AUTH__KEYS: every verification key as one inline array; HS256 secrets come in
     through $(SECRET_AUTH_KEY_<n>) variables defined before it. */}}
{{- define "hrmesh.authKeysValue" -}}
{{- $items := list -}}
{{- range $i, $k := .Values.auth.keys -}}
{{- if eq $k.algorithm "HS256" -}}
{{- $items = append $items (printf "{kid=%s,algorithm=\"HS256\",key=\"$(SECRET_AUTH_KEY_%d)\"}" ($k.kid | toJson) $i) -}}
{{- else -}}
{{- $pem := $k.publicKey | trim | replace "\r" "" | replace "\n" "\\n" -}}
{{- $items = append $items (printf "{kid=%s,algorithm=%s,key=\"%s\"}" ($k.kid | toJson) ($k.algorithm | toJson) $pem) -}}
{{- end -}}
{{- end -}}
{{- printf "[%s]" (join "," $items) -}}
{{- end -}}

{{/* Environment of one service's container: secrets, telemetry, identity. */}}
{{- define "hrmesh.env" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
- name: HRMESH_CONFIG
  value: /etc/hrmesh/hrmesh.toml
- name: POD_NAME
  valueFrom: {fieldRef: {fieldPath: metadata.name}}
- name: POD_NAMESPACE
  valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf "service.namespace=hrmesh,service.instance.id=$(POD_NAME),k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE),deployment.environment=%s" $v.tenant | quote }}
- name: OTEL_METRIC_EXPORT_INTERVAL
  value: {{ $v.telemetry.metricExportIntervalMs | quote }}
{{- if $v.postgresql.urlSecret.name }}
- name: HRMESH_DATABASE__URL
  valueFrom: {secretKeyRef: {name: {{ $v.postgresql.urlSecret.name }}, key: {{ $v.postgresql.urlSecret.key }}}}
{{- end }}
{{- if hasPrefix "sasl_" $v.kafka.securityProtocol }}
- name: HRMESH_KAFKA__SASL_USERNAME
  valueFrom: {secretKeyRef: {name: {{ $v.kafka.sasl.credentialsSecret }}, key: {{ printf "%s-username" .svc }}}}
- name: HRMESH_KAFKA__SASL_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $v.kafka.sasl.credentialsSecret }}, key: {{ printf "%s-password" .svc }}}}
{{- end }}
{{- if $v.redis.urlSecret.name }}
- name: HRMESH_REDIS__URL
  valueFrom: {secretKeyRef: {name: {{ $v.redis.urlSecret.name }}, key: {{ $v.redis.urlSecret.key }}}}
{{- end }}
{{- range $i, $k := $v.auth.keys }}
{{- if eq $k.algorithm "HS256" }}
- name: {{ printf "SECRET_AUTH_KEY_%d" $i }}
  valueFrom: {secretKeyRef: {name: {{ $k.secretName }}, key: {{ $k.secretKey }}}}
{{- end }}
{{- end }}
- name: HRMESH_AUTH__KEYS
  value: {{ include "hrmesh.authKeysValue" $root | quote }}
{{- if $v.auth.serviceTokenSecret.name }}
- name: HRMESH_AUTH__SERVICE_TOKEN
  valueFrom: {secretKeyRef: {name: {{ $v.auth.serviceTokenSecret.name }}, key: {{ $v.auth.serviceTokenSecret.key }}}}
{{- end }}
- name: HRMESH_PRIVACY__MASTER_KEY
  valueFrom: {secretKeyRef: {name: {{ $v.secrets.privacyMasterKey.name }}, key: {{ $v.secrets.privacyMasterKey.key }}}}
{{- if eq .svc "governance" }}
- name: HRMESH_GOVERNANCE__PSEUDONYM_KEY
  valueFrom: {secretKeyRef: {name: {{ $v.secrets.pseudonymKey.name }}, key: {{ $v.secrets.pseudonymKey.key }}}}
- name: HRMESH_GOVERNANCE__SIGNING_KEY
  valueFrom: {secretKeyRef: {name: {{ $v.secrets.signingKey.name }}, key: {{ $v.secrets.signingKey.key }}}}
{{- end }}
{{- end -}}
