{{/* What this chart adds to the shared Deployment: nothing. (dit-gateway mounts its routes.) */}}
{{- define "dit.chartPodAnnotations" -}}{{- end -}}
{{- define "dit.chartVolumeMounts" -}}{{- end -}}
{{- define "dit.chartVolumes" -}}{{- end -}}
