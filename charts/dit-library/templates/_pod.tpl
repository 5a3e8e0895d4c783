{{/*
The pod template every workload of a release runs: the Deployment's, the CronJob's and the hook
Jobs'. One definition, so a migration Job cannot drift from the pods it migrates for: the same
image, ConfigMap and Infisical Secret, pull secrets, service account and security context.

Takes a dict:
  root           the app chart's context
  extra          what the app chart adds to every pod: {annotations, volumeMounts, volumes}
  command, args  the container's; unset keeps the image's ENTRYPOINT and CMD
  serves         the Deployment's pod: container ports and probes. Jobs declare no port, so a
                 Service (whose targetPort is a port name) never sends them traffic
  claims         mount the release's PersistentVolumeClaims. Hook Jobs do not: a ReadWriteOnce
                 claim held by a running pod on another node would keep the Job from starting
  restartPolicy  OnFailure or Never for Jobs; unset for the Deployment (Always)
*/}}
{{- define "dit.podTemplate" -}}
{{- $root := .root -}}
{{- $values := $root.Values -}}
{{- $extra := .extra | default dict -}}
metadata:
  labels:
    {{- include "dit.labels" $root | nindent 4 }}
    {{- with $values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/configs: {{ toJson ($values.configs | default dict) | sha256sum }}
    {{- with $extra.annotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- with include "dit.annotations" $root }}
    {{- . | nindent 4 }}
    {{- end }}
spec:
  {{- with .restartPolicy }}
  restartPolicy: {{ . }}
  {{- end }}
  serviceAccountName: {{ include "dit.fullname" $root }}
  automountServiceAccountToken: {{ dig "automountToken" false ($values.serviceAccount | default dict) }}
  {{- with $values.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  securityContext:
    {{- include "dit.podSecurityContext" $root | nindent 4 }}
  containers:
    - name: app
      {{- include "dit.container" . | nindent 6 }}
  volumes:
    - name: tmp
      emptyDir: {}
    {{- with $extra.volumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- if .claims }}
    {{- range $name, $volume := $values.volumes }}
    - name: {{ $name }}
      persistentVolumeClaim:
        claimName: {{ include "dit.fullname" $root }}-{{ $name }}
    {{- end }}
    {{- end }}
{{- end -}}

{{/* Non-root with seccomp RuntimeDefault: the schema refuses runAsNonRoot false. */}}
{{- define "dit.podSecurityContext" -}}
{{- $sc := .Values.securityContext -}}
runAsNonRoot: true
{{- with $sc.runAsUser }}
runAsUser: {{ . }}
{{- end }}
{{- if hasKey $sc "runAsGroup" }}
runAsGroup: {{ $sc.runAsGroup }}
{{- end }}
{{- if hasKey $sc "fsGroup" }}
fsGroup: {{ $sc.fsGroup }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The app container, after its name; takes the dict of dit.podTemplate. */}}
{{- define "dit.container" -}}
{{- $root := .root -}}
{{- $values := $root.Values -}}
{{- $extra := .extra | default dict -}}
{{- if include "dit.pending" $root }}
{{- /* Pending: no image to pull yet; the pods never start (replicas 0, suspended). */}}
{{- else }}
image: {{ include "dit.image" $root | quote }}
{{- end }}
imagePullPolicy: IfNotPresent
{{- with .command }}
command:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .args }}
args:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .serves }}
{{- with $values.ports }}
ports:
  {{- range . }}
  - name: {{ .name }}
    containerPort: {{ .port }}
    protocol: {{ .protocol }}
  {{- end }}
{{- end }}
{{- end }}
{{- $secrets := dig "enabled" false ($values.infisical | default dict) }}
{{- if or $values.configs $secrets }}
envFrom:
  {{- if $values.configs }}
  - configMapRef:
      name: {{ include "dit.fullname" $root }}-configs
  {{- end }}
  {{- if $secrets }}
  - secretRef:
      name: {{ include "dit.fullname" $root }}-secrets
  {{- end }}
{{- end }}
securityContext:
  allowPrivilegeEscalation: false
  privileged: false
  readOnlyRootFilesystem: {{ dig "readOnlyRootFilesystem" true $values.securityContext }}
  capabilities:
    drop:
      - ALL
{{- with $values.resources }}
resources:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .serves }}
{{- with include "dit.probes" $root | trim }}
{{ . }}
{{- end }}
{{- end }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  {{- with $extra.volumeMounts }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- if .claims }}
  {{- range $name, $volume := $values.volumes }}
  - name: {{ $name }}
    mountPath: {{ $volume.mountPath }}
    {{- if $volume.readOnly }}
    readOnly: true
    {{- end }}
  {{- end }}
  {{- end }}
{{- end -}}

{{/*
Startup, readiness and liveness probes of the Deployment's container: one check for the three,
the exec command when given, else a TCP connect to probes.port when probes.tcp (an app that
serves no health endpoint), else GET probes.path on probes.port (default: the first port).
*/}}
{{- define "dit.probes" -}}
{{- $probes := .Values.probes -}}
{{- if $probes.enabled -}}
{{- $check := dict -}}
{{- $port := $probes.port -}}
{{- if and (not $port) .Values.ports -}}
{{- $port = (first .Values.ports).name -}}
{{- end -}}
{{- if $probes.command -}}
{{- $check = dict "exec" (dict "command" $probes.command) -}}
{{- else if not $port -}}
{{- fail (printf "probes: the default check is %s on the first port, and ports is empty (a worker listens on no port); set probes.command (an exec check), probes.port, or probes.enabled: false" (ternary "a TCP connect" (printf "GET %s" $probes.path) (default false $probes.tcp))) -}}
{{- else if $probes.tcp -}}
{{- $check = dict "tcpSocket" (dict "port" $port) -}}
{{- else -}}
{{- $check = dict "httpGet" (dict "path" $probes.path "port" $port) -}}
{{- end -}}
{{- $startup := $probes.startup | default dict -}}
{{- if dig "enabled" true $startup }}
startupProbe:
  {{- toYaml (merge (omit $startup "enabled") $check) | nindent 2 }}
{{- end }}
readinessProbe:
  {{- toYaml (merge (deepCopy ($probes.readiness | default dict)) $check) | nindent 2 }}
livenessProbe:
  {{- toYaml (merge (deepCopy ($probes.liveness | default dict)) $check) | nindent 2 }}
{{- end -}}
{{- end -}}
