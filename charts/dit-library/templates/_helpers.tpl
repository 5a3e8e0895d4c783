{{/*
Names, labels and small values every object of a DIT golden chart uses. Included from an app
chart, `.` is that chart's context: .Chart is the app chart (dit-common-api, ...), never this
library, so labels keep naming the chart that was installed.
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

{{/*
"true" while the release is pending: it has no accepted image yet. image.yaml then holds an
empty tag (`tag: ""`, written by dit-gitops for an image CI has not built), or an empty digest
(`digest: ""`: the environment pins digests and none is recorded yet). An absent digest means
unpinned; an absent tag is an error (dit.image). The release still installs, with nothing that
pulls an image: Deployment replicas 0, CronJob suspended, no hook Jobs. The auto-deploy
action's one edit (`yq -i '.spec.values.global.image.tag = "…"'`) starts it; where the digest
is empty too, `set-image --digest` or Flux image automation must set that as well.
*/}}
{{- define "dit.pending" -}}
{{- $image := dig "image" dict (.Values.global | default dict) -}}
{{- $emptyTag := and (hasKey $image "tag") (eq (toString (get $image "tag" | default "")) "") -}}
{{- $emptyDigest := and (hasKey $image "digest") (eq (toString (get $image "digest" | default "")) "") -}}
{{- if or $emptyTag $emptyDigest }}true{{ end -}}
{{- end -}}

{{/* registry/repository:tag, and @digest when image.yaml pins one. */}}
{{- define "dit.image" -}}
{{- $image := dig "image" dict (.Values.global | default dict) -}}
{{- $tag := required "global.image.tag is missing: image.yaml (written by CI) sets it" $image.tag -}}
{{- $registry := required "image.registry is missing: dit-gitops writes the registry the team chose" .Values.image.registry -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository $tag -}}
{{- with $image.digest }}@{{ . }}{{ end -}}
{{- end -}}

{{/*
The name of the Service port an Ingress sends traffic to: the first port. Takes
(dict "root" . "field" "ingress"); `field` names the value that asked, for the error.
A cron job or a worker (ports: []) has no Service, so an Ingress to it is a mistake to report,
not an object to render pointing at nothing.
*/}}
{{- define "dit.servicePort" -}}
{{- if .root.Values.cronJob -}}
{{- fail (printf "%s: a cron job has no Service to send traffic to (cronJob is set); remove %s" .field .field) -}}
{{- end -}}
{{- $first := first .root.Values.ports -}}
{{- $_ := required (printf "%s: ports is empty (a worker has no Service); declare a port or remove %s" .field .field) $first -}}
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
