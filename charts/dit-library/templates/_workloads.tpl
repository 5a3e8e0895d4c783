{{/*
The release's workloads. Each takes (dict "root" . "extra" <what the app chart adds to pods>).
*/}}

{{/* The long-running pods: an API, a web app, the gateway or a worker (ports: []). */}}
{{- define "dit.deployment" -}}
{{- $root := .root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "dit.fullname" $root }}
  labels:
    {{- include "dit.labels" $root | nindent 4 }}
  {{- with include "dit.annotations" $root }}
  annotations:
    {{- . | nindent 4 }}
  {{- end }}
spec:
  {{- /* Pending (dit.pending): installed with no pod until image.yaml holds an accepted image. */}}
  replicas: {{ if include "dit.pending" $root }}0{{ else }}{{ $root.Values.replicas }}{{ end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "dit.selectorLabels" $root | nindent 6 }}
  template:
    {{- include "dit.podTemplate" (dict "root" $root "extra" .extra "command" $root.Values.command "args" $root.Values.args "serves" true "claims" true) | nindent 4 }}
{{- end -}}

{{/*
cronJob set: the release is a scheduled job instead of a Deployment. Its pods carry the same
labels, so the release's CiliumNetworkPolicy selects them; they declare no port and have no
probes (a run that fails exits non-zero, and backoffLimit retries it).
*/}}
{{- define "dit.cronJob" -}}
{{- $root := .root -}}
{{- $cron := $root.Values.cronJob -}}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ include "dit.fullname" $root }}
  labels:
    {{- include "dit.labels" $root | nindent 4 }}
  {{- with include "dit.annotations" $root }}
  annotations:
    {{- . | nindent 4 }}
  {{- end }}
spec:
  schedule: {{ required "cronJob.schedule is missing: a cron expression such as \"0 3 * * *\" or @daily" $cron.schedule | quote }}
  {{- with $cron.timeZone }}
  timeZone: {{ . | quote }}
  {{- end }}
  concurrencyPolicy: {{ $cron.concurrencyPolicy | default "Forbid" }}
  suspend: {{ if include "dit.pending" $root }}true{{ else }}{{ dig "suspend" false $cron }}{{ end }}
  {{- if hasKey $cron "successfulJobsHistoryLimit" }}
  successfulJobsHistoryLimit: {{ int $cron.successfulJobsHistoryLimit }}
  {{- end }}
  {{- if hasKey $cron "failedJobsHistoryLimit" }}
  failedJobsHistoryLimit: {{ int $cron.failedJobsHistoryLimit }}
  {{- end }}
  jobTemplate:
    metadata:
      labels:
        {{- include "dit.labels" $root | nindent 8 }}
    spec:
      backoffLimit: {{ dig "backoffLimit" 1 $cron | int }}
      {{- with $cron.activeDeadlineSeconds }}
      activeDeadlineSeconds: {{ int . }}
      {{- end }}
      template:
        {{- include "dit.podTemplate" (dict "root" $root "extra" .extra "command" $root.Values.command "args" $root.Values.args "claims" true "restartPolicy" "OnFailure") | nindent 8 }}
{{- end -}}

{{/*
hookJobs: Jobs Helm runs at points of the release's life (database migrations), with the
release's image, configuration and secrets. Default hooks post-install and pre-upgrade: a
pre-install hook would run before the release's ConfigMap and Infisical-managed Secret exist.
helm-controller waits for them; a failed one fails the install or upgrade, so the old pods
keep running. The delete policy clears the previous run first (a Job's pod template cannot
change in place) and removes a run that succeeded; a failed one stays for its logs.
*/}}
{{- define "dit.hookJobs" -}}
{{- $root := .root -}}
{{- /* Pending: no hook runs an image that is not there; the first upgrade with one runs pre-upgrade hooks. */}}
{{- $jobs := $root.Values.hookJobs -}}
{{- if include "dit.pending" $root }}{{ $jobs = dict }}{{ end -}}
{{- range $key, $job := $jobs }}
{{- $name := printf "%s-%s" (include "dit.fullname" $root) $key }}
{{- if gt (len $name) 63 }}
{{- fail (printf "hookJobs.%s: the Job name %s is %d characters; Kubernetes allows 63 (a shorter key or release name)" $key $name (len $name)) }}
{{- end }}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $name }}
  labels:
    {{- include "dit.labels" $root | nindent 4 }}
  annotations:
    helm.sh/hook: {{ join "," ($job.hooks | default (list "post-install" "pre-upgrade")) }}
    helm.sh/hook-weight: {{ dig "weight" 0 $job | int | toString | quote }}
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ dig "backoffLimit" 1 $job | int }}
  activeDeadlineSeconds: {{ dig "activeDeadlineSeconds" 600 $job | int }}
  template:
    {{- $command := required (printf "hookJobs.%s.command is missing: the command the Job runs, as a list" $key) $job.command }}
    {{- include "dit.podTemplate" (dict "root" $root "command" $command "args" $job.args "restartPolicy" "Never") | nindent 4 }}
{{- end }}
{{- end -}}

{{/*
Above one replica, evictions take one pod at a time. Hook Job pods carry the same labels (for
the release's Cilium policy), and a budget with maxUnavailable only counts pods of scalable
controllers, so with hookJobs the budget leaves Job pods out.
*/}}
{{- define "dit.podDisruptionBudget" -}}
{{- if and (gt (int .Values.replicas) 1) (not (include "dit.pending" .)) -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "dit.fullname" . }}
  labels:
    {{- include "dit.labels" . | nindent 4 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "dit.selectorLabels" . | nindent 6 }}
    {{- if .Values.hookJobs }}
    matchExpressions:
      - key: batch.kubernetes.io/job-name
        operator: DoesNotExist
    {{- end }}
{{- end -}}
{{- end -}}
