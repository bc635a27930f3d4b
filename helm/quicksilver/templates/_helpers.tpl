{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "quicksilver.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart unless the release name already contains the chart name. */}}
{{- define "quicksilver.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart label value. */}}
{{- define "quicksilver.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "quicksilver.labels" -}}
helm.sh/chart: {{ include "quicksilver.chart" . }}
{{ include "quicksilver.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of the hub pods. */}}
{{- define "quicksilver.selectorLabels" -}}
app.kubernetes.io/name: {{ include "quicksilver.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: hub
{{- end }}

{{/* Labels on the bundled Redis objects. */}}
{{- define "quicksilver.redis.labels" -}}
helm.sh/chart: {{ include "quicksilver.chart" . }}
{{ include "quicksilver.redis.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of the bundled Redis. */}}
{{- define "quicksilver.redis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "quicksilver.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end }}

{{/* Names of the objects. */}}
{{- define "quicksilver.headlessName" -}}
{{- printf "%s-headless" (include "quicksilver.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "quicksilver.redisName" -}}
{{- printf "%s-redis" (include "quicksilver.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "quicksilver.configName" -}}
{{- printf "%s-config" (include "quicksilver.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The Secret the pods read: existingSecret, or the one the chart renders. */}}
{{- define "quicksilver.secretName" -}}
{{- if .Values.existingSecret }}
{{- .Values.existingSecret }}
{{- else }}
{{- include "quicksilver.fullname" . }}
{{- end }}
{{- end }}

{{- define "quicksilver.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "quicksilver.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Fully qualified DNS name of the headless Service: what Hazelcast resolves to find the other pods. */}}
{{- define "quicksilver.headlessDns" -}}
{{- printf "%s.%s.svc.%s" (include "quicksilver.headlessName" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* "true" when the pods form a cluster: several replicas, autoscaling, or cluster.enabled. */}}
{{- define "quicksilver.clustered" -}}
{{- if or .Values.cluster.enabled .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/* Which Redis the hub uses: "bundled", "external" (redis.url or the existing Secret), or "" (history in memory). */}}
{{- define "quicksilver.redisMode" -}}
{{- if .Values.redis.bundled.enabled }}bundled
{{- else if and .Values.existingSecret .Values.redis.urlFromExistingSecret }}external
{{- else if and (not .Values.existingSecret) .Values.redis.url }}external
{{- end }}
{{- end }}

{{/* Checks that stop rendering with a clear message. */}}
{{- define "quicksilver.validate" -}}
{{- if and (include "quicksilver.clustered" .) (not (include "quicksilver.redisMode" .)) }}
{{- fail (printf "a cluster (replicaCount=%v, autoscaling.enabled=%v, cluster.enabled=%v) needs Redis: the pods share history and sequence there. Set redis.bundled.enabled=true, or redis.url, or redis.urlFromExistingSecret=true with existingSecret" .Values.replicaCount .Values.autoscaling.enabled .Values.cluster.enabled) }}
{{- end }}
{{- if le (int (include "quicksilver.terminationGracePeriodSeconds" .)) (add (int .Values.preStop.seconds) (int .Values.drain.windowSeconds)) }}
{{- fail (printf "terminationGracePeriodSeconds (%v) must be larger than preStop.seconds (%v) plus drain.windowSeconds (%v): Kubernetes would kill the pod before its streams are drained" (include "quicksilver.terminationGracePeriodSeconds" .) .Values.preStop.seconds .Values.drain.windowSeconds) }}
{{- end }}
{{- if gt (add (int .Values.jvm.heapPercent) (int .Values.jvm.directMemoryPercent)) 85 }}
{{- fail (printf "jvm.heapPercent (%v) plus jvm.directMemoryPercent (%v) must leave at least 15%% of the memory limit to metaspace, threads and code" .Values.jvm.heapPercent .Values.jvm.directMemoryPercent) }}
{{- end }}
{{- if and .Values.redis.bundled.enabled .Values.redis.url }}
{{- fail "redis.bundled.enabled and redis.url are both set: choose the bundled Redis or an external one" }}
{{- end }}
{{- if and .Values.redis.bundled.enabled .Values.redis.urlFromExistingSecret }}
{{- fail "redis.bundled.enabled and redis.urlFromExistingSecret are both set: choose the bundled Redis or an external one" }}
{{- end }}
{{- if and .Values.redis.urlFromExistingSecret (not .Values.existingSecret) }}
{{- fail "redis.urlFromExistingSecret needs existingSecret" }}
{{- end }}
{{- if and (not .Values.existingSecret) (ne (empty .Values.secrets.publisherJwtKey) (empty .Values.secrets.subscriberJwtKey)) }}
{{- fail "set both secrets.publisherJwtKey and secrets.subscriberJwtKey, or neither (both are then generated at install)" }}
{{- end }}
{{- if and .Values.existingSecret .Values.redis.url }}
{{- fail "redis.url is ignored with existingSecret: put the URL in the existing Secret and set redis.urlFromExistingSecret=true" }}
{{- end }}
{{- if and .Values.redis.bundled.enabled .Values.redis.bundled.auth.enabled (not .Values.existingSecret) (not .Values.redis.bundled.auth.password) }}
{{- fail "redis.bundled.auth.enabled needs redis.bundled.auth.password (or existingSecret holding secretKeys.redisPassword)" }}
{{- end }}
{{- if and (ne (int .Values.metrics.port) 0) (has (int .Values.metrics.port) (list (int .Values.config.http.port) (int .Values.cluster.port) (int .Values.cluster.busPort))) }}
{{- fail (printf "metrics.port (%v) collides with the HTTP, Hazelcast or event-bus port" .Values.metrics.port) }}
{{- end }}
{{- end }}

{{/* Grace period after SIGTERM: terminationGracePeriodSeconds, or (0) the preStop pause, the drain window and the margin. */}}
{{- define "quicksilver.terminationGracePeriodSeconds" -}}
{{- if gt (int .Values.terminationGracePeriodSeconds) 0 }}
{{- int .Values.terminationGracePeriodSeconds }}
{{- else }}
{{- add (int .Values.preStop.seconds) (int .Values.drain.windowSeconds) (int .Values.drain.marginSeconds) }}
{{- end }}
{{- end }}

{{/* Event-loop threads (QS_EVENT_LOOPS): eventLoops, else the CPU limit or request rounded up (at least 1), else 0 (the processors the JVM sees). */}}
{{- define "quicksilver.eventLoops" -}}
{{- $cpu := "" }}
{{- with .Values.resources }}
{{- $cpu = default (dig "requests" "cpu" "" .) (dig "limits" "cpu" "" .) | toString }}
{{- end }}
{{- if gt (int .Values.eventLoops) 0 }}
{{- int .Values.eventLoops }}
{{- else if not $cpu }}0
{{- else if hasSuffix "m" $cpu }}
{{- max 1 (ceil (divf (trimSuffix "m" $cpu | float64) 1000)) | int }}
{{- else }}
{{- max 1 (ceil ($cpu | float64)) | int }}
{{- end }}
{{- end }}

{{/* The container's memory limit in MiB (0 without a limit); Kubernetes quantities Ki/Mi/Gi/Ti, k/M/G/T or bytes. */}}
{{- define "quicksilver.memoryLimitMiB" -}}
{{- $m := "" }}
{{- with .Values.resources }}{{ $m = dig "limits" "memory" "" . | toString }}{{ end }}
{{- $units := list (list "Ki" 1024.0) (list "Mi" 1048576.0) (list "Gi" 1073741824.0) (list "Ti" 1099511627776.0) (list "k" 1000.0) (list "M" 1000000.0) (list "G" 1000000000.0) (list "T" 1000000000000.0) }}
{{- $bytes := 0.0 }}
{{- if $m }}
{{- $bytes = $m | float64 }}
{{- range $units }}
{{- if hasSuffix (index . 0) $m }}{{ $bytes = mulf (trimSuffix (index . 0) $m | float64) (index . 1) }}{{ end }}
{{- end }}
{{- end }}
{{- divf $bytes 1048576.0 | floor | int }}
{{- end }}

{{/* JVM options (JAVA_OPTS): the heap as a share of the memory limit, direct memory (Netty's buffers) capped at its
own share and counted by the JVM, the rest left to metaspace, threads and code; then javaOpts. */}}
{{- define "quicksilver.javaOpts" -}}
{{- $limit := include "quicksilver.memoryLimitMiB" . | int }}
{{- $opts := list (printf "-XX:MaxRAMPercentage=%v" .Values.jvm.heapPercent) "-XX:+ExitOnOutOfMemoryError" "-Dio.netty.maxDirectMemory=0" }}
{{- if gt $limit 0 }}
{{- $opts = append $opts (printf "-XX:MaxDirectMemorySize=%dm" (div (mul $limit (int .Values.jvm.directMemoryPercent)) 100)) }}
{{- end }}
{{- with .Values.javaOpts }}{{ $opts = append $opts . }}{{ end }}
{{- join " " $opts }}
{{- end }}

{{/* True when the development JWT key is in use (someone set it in the chart's Secret). */}}
{{- define "quicksilver.developmentKeys" -}}
{{- $dev := "!ChangeThisQuicksilverDevelopmentKey!" }}
{{- if and (not .Values.existingSecret) (or (eq .Values.secrets.publisherJwtKey $dev) (eq .Values.secrets.subscriberJwtKey $dev)) }}true{{ end }}
{{- end }}

{{/* True when the chart's Secret generates a JWT key (none given). */}}
{{- define "quicksilver.generatedKeys" -}}
{{- if and (not .Values.existingSecret) (not .Values.secrets.publisherJwtKey) (not .Values.secrets.subscriberJwtKey) }}true{{ end }}
{{- end }}

{{/* The image reference. */}}
{{- define "quicksilver.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Where the listener's and the event bus's TLS Secrets are mounted. */}}
{{- define "quicksilver.tlsDir" -}}/etc/quicksilver/tls{{- end }}
{{- define "quicksilver.busTlsDir" -}}/etc/quicksilver/cluster-tls{{- end }}
