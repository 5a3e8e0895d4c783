{{/*
Shared helpers of the DIT golden charts. dit-common-api, dit-common-client and dit-gateway
carry the same copy of this file and of the workload templates (a test keeps them equal), so
each chart stays self-contained for Flux's HelmChart from a GitRepository.
*/}}

{{/* Object names: the release name, which dit-gitops sets to the component (or releaseName). */}}
{{- define "dit.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select the pods: Cilium rules of other components name app.kubernetes.io/instance. */}}
{{- define "dit.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "dit.labels" -}}
{{ include "dit.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- with .Values.global }}{{ with .image }}{{ with .tag }}
app.kubernetes.io/version: {{ . | trunc 63 | quote }}
{{- end }}{{ end }}{{ end }}
{{- end -}}

{{/*
Provenance annotations from image.yaml: values-level `annotations`, over `global.annotations`
where image.yaml wrote them before.
*/}}
{{- define "dit.annotations" -}}
{{- $legacy := dict -}}
{{- with .Values.global }}{{ with .annotations }}{{ $legacy = . }}{{ end }}{{ end -}}
{{- $merged := merge (deepCopy (.Values.annotations | default dict)) $legacy -}}
{{- if $merged }}{{ toYaml $merged }}{{ end -}}
{{- end -}}

{{/* registry/repository:tag, and @digest when image.yaml pins one. */}}
{{- define "dit.image" -}}
{{- $image := dig "image" dict (.Values.global | default dict) -}}
{{- $tag := required "global.image.tag is missing: image.yaml (written by CI) sets it" $image.tag -}}
{{- $registry := required "image.registry is missing: dit-gitops writes the registry the team chose" .Values.image.registry -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository $tag -}}
{{- with $image.digest }}@{{ . }}{{ end -}}
{{- end -}}

{{/* The first declared port: probes, Service default and Ingress use it. */}}
{{- define "dit.mainPort" -}}
{{- $first := first .Values.ports -}}
{{- $_ := required "ports is empty: an httpGet probe or an Ingress needs a port (set probes.command, probes.port or probes.enabled: false, and no ingress)" $first -}}
{{- $first.name -}}
{{- end -}}

{{/* Named Cilium rules (a map keyed by peer) as Cilium's list, in name order; none is deny-all. */}}
{{- define "dit.ciliumRules" -}}
{{- $rules := list -}}
{{- range $name := keys . | sortAlpha -}}
{{- $rules = append $rules (get $ $name) -}}
{{- end -}}
{{- if $rules }}{{ toYaml $rules }}{{ else }}- {}{{ end -}}
{{- end -}}
