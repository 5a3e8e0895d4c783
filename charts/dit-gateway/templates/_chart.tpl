{{/* What the gateway adds to the shared Deployment: its routes, mounted where the image reads them. */}}
{{- define "dit.chartPodAnnotations" -}}
checksum/routes: {{ toJson (list .Values.routes .Values.middlewares) | sha256sum }}
{{- end -}}
{{- define "dit.chartVolumeMounts" -}}
- name: routes
  mountPath: /etc/dit-gateway
  readOnly: true
{{- end -}}
{{- define "dit.chartVolumes" -}}
- name: routes
  configMap:
    name: {{ include "dit.fullname" . }}-routes
{{- end -}}
