{{/* The release's other objects. Each takes the app chart's context and may render nothing. */}}

{{- define "dit.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "dit.fullname" . }}
  labels:
    {{- include "dit.labels" . | nindent 4 }}
automountServiceAccountToken: {{ dig "automountToken" false (.Values.serviceAccount | default dict) }}
{{- end -}}

{{- define "dit.configMap" -}}
{{- if .Values.configs -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "dit.fullname" . }}-configs
  labels:
    {{- include "dit.labels" . | nindent 4 }}
data:
  {{- range $key, $value := .Values.configs }}
  {{ $key }}: {{ $value | toString | quote }}
  {{- end }}
{{- end -}}
{{- end -}}

{{/* The InfisicalSecret that writes <release>-secrets, and the sealed token it reads. */}}
{{- define "dit.infisical" -}}
{{- with .Values.infisical }}
{{- if .enabled -}}
apiVersion: secrets.infisical.com/v1alpha1
kind: InfisicalSecret
metadata:
  name: {{ include "dit.fullname" $ }}
  labels:
    {{- include "dit.labels" $ | nindent 4 }}
spec:
  resyncInterval: 60
  authentication:
    serviceToken:
      secretsScope:
        envSlug: {{ required "infisical.secretsScope.envSlug is missing: the environment's infisicalSlug sets it" .secretsScope.envSlug | quote }}
        secretsPath: {{ .secretsScope.secretsPath | quote }}
      serviceTokenSecretReference:
        secretName: {{ include "dit.fullname" $ }}-infisical-token
        secretNamespace: {{ $.Release.Namespace }}
  managedSecretReference:
    secretName: {{ include "dit.fullname" $ }}-secrets
    secretNamespace: {{ $.Release.Namespace }}
    creationPolicy: Owner
{{- with .sealedSecret }}
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: {{ include "dit.fullname" $ }}-infisical-token
  labels:
    {{- include "dit.labels" $ | nindent 4 }}
  annotations:
    # Sealed with kubeseal --scope namespace-wide for the environment's namespace.
    sealedsecrets.bitnami.com/namespace-wide: "true"
spec:
  encryptedData:
    infisicalToken: {{ .token | quote }}
  template:
    metadata:
      name: {{ include "dit.fullname" $ }}-infisical-token
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* A component declaring no port (a worker) and a cron job have no Service. */}}
{{- define "dit.service" -}}
{{- if and .Values.ports (not .Values.cronJob) -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "dit.fullname" . }}
  labels:
    {{- include "dit.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "dit.selectorLabels" . | nindent 4 }}
  ports:
    {{- range .Values.ports }}
    # The Service port is the container port: a gateway route and a Cilium rule name one number.
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .name }}
      protocol: {{ .protocol }}
    {{- end }}
{{- end -}}
{{- end -}}

{{- define "dit.ingress" -}}
{{- with .Values.ingress }}
{{- if and .enabled .hosts -}}
{{- $port := include "dit.servicePort" (dict "root" $ "field" "ingress") -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "dit.fullname" $ }}
  labels:
    {{- include "dit.labels" $ | nindent 4 }}
  {{- with .annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  ingressClassName: {{ .className }}
  rules:
    {{- range .hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
          {{- range .paths }}
          - path: {{ .path }}
            pathType: {{ .pathType }}
            backend:
              service:
                name: {{ include "dit.fullname" $ }}
                port:
                  name: {{ $port }}
          {{- end }}
    {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Default deny both ways: only the named rules pass (an empty rule list allows nothing). */}}
{{- define "dit.ciliumNetworkPolicy" -}}
{{- with .Values.ciliumNetworkPolicy }}
{{- if .enabled -}}
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: {{ include "dit.fullname" $ }}
  labels:
    {{- include "dit.labels" $ | nindent 4 }}
spec:
  endpointSelector:
    matchLabels:
      {{- include "dit.selectorLabels" $ | nindent 6 }}
  enableDefaultDeny:
    ingress: true
    egress: true
  ingress:
    {{- include "dit.ciliumRules" (.ingress | default dict) | nindent 4 }}
  egress:
    {{- include "dit.ciliumRules" (.egress | default dict) | nindent 4 }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "dit.persistentVolumeClaims" -}}
{{- range $name, $volume := .Values.volumes }}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ include "dit.fullname" $ }}-{{ $name }}
  labels:
    {{- include "dit.labels" $ | nindent 4 }}
spec:
  accessModes:
    - {{ $volume.accessMode | default "ReadWriteOnce" }}
  {{- with $volume.storageClassName }}
  storageClassName: {{ . }}
  {{- end }}
  resources:
    requests:
      storage: {{ $volume.size }}
{{- end }}
{{- end -}}
