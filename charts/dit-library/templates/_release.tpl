{{/*
Everything a golden chart renders; an app chart's template is this one include. Takes
(dict "root" . "extra" <pod additions>): `extra` is what the app chart adds to every pod
({annotations, volumeMounts, volumes}; dit-gateway mounts its routes), empty for the others.

cronJob set: a CronJob instead of the Deployment, and no Service, PodDisruptionBudget or
Ingress (nothing serves traffic). hookJobs come in either case.
*/}}
{{- define "dit.release" -}}
{{- $root := .root -}}
{{- $objects := list (include "dit.serviceAccount" $root) (include "dit.configMap" $root) (include "dit.infisical" $root) (include "dit.persistentVolumeClaims" $root) (include "dit.ciliumNetworkPolicy" $root) -}}
{{- if $root.Values.cronJob -}}
{{- $objects = append $objects (include "dit.cronJob" .) -}}
{{- else -}}
{{- $objects = concat $objects (list (include "dit.deployment" .) (include "dit.service" $root) (include "dit.podDisruptionBudget" $root)) -}}
{{- end -}}
{{- /* With cronJob, an Ingress with hosts is an error (dit.servicePort), not a dangling object. */ -}}
{{- $objects = append $objects (include "dit.ingress" $root) -}}
{{- $objects = append $objects (include "dit.hookJobs" .) -}}
{{- range $objects }}
{{- with trim . }}
{{- if not (hasPrefix "---" .) }}
---
{{- end }}
{{ . }}
{{- end }}
{{- end }}
{{- end -}}
