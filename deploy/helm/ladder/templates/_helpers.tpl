{{/* Chart name, overridable. */}}
{{- define "ladder.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: <release>-<chart>, or the release name when it already contains the chart name. */}}
{{- define "ladder.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ladder.headlessName" -}}
{{- printf "%s-headless" (include "ladder.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ladder.metricsName" -}}
{{- printf "%s-metrics" (include "ladder.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ladder.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ladder.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ladder.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ladder.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: processor
{{- end -}}

{{- define "ladder.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ladder.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "ladder.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
"true" when a config change must roll the pods: asked for (rollOnConfigChange), or
live reload is off (reload-interval 0s, in config or a LADDER_RELOAD_INTERVAL in
extraEnv), because then the app would never see the changed file.
*/}}
{{- define "ladder.rollOnConfigChange" -}}
{{- $interval := toString (index .Values.config "reload-interval" | default "5s") -}}
{{- range .Values.extraEnv -}}
{{- if and (eq (toString .name) "LADDER_RELOAD_INTERVAL") (hasKey . "value") -}}
{{- $interval = toString .value -}}
{{- end -}}
{{- end -}}
{{- if or .Values.rollOnConfigChange (regexMatch "^P?T?0+(\\.0*)?[a-zA-Z]*$" $interval) -}}
true
{{- end -}}
{{- end -}}

{{/*
The Ladder config file. Values the chart must control (they are tied to volumes,
ports and probes) override the free-form `config` map; everything else passes through.
*/}}
{{- define "ladder.config" -}}
{{- $bootstrap := required "kafka.bootstrapServers is required: set it to your Kafka bootstrap servers, e.g. --set kafka.bootstrapServers=kafka-0.kafka:9092" .Values.kafka.bootstrapServers -}}
{{- $main := required "topics.main is required: set it to the topic Ladder consumes, e.g. --set topics.main=orders" .Values.topics.main -}}
{{- range $key := list "bootstrap-servers" "application-id" "state-dir" "server" -}}
{{- if hasKey $.Values.config $key -}}
{{- fail (printf "config.%s is set by the chart; use the chart value instead (kafka.bootstrapServers, applicationId, persistence.mountPath, service.port)" $key) -}}
{{- end -}}
{{- end -}}
{{- if and (hasKey .Values.config "topics") (hasKey .Values.config.topics "main") -}}
{{- fail "config.topics.main is set by the chart; use topics.main instead" -}}
{{- end -}}
{{- $server := dict "port" (.Values.service.port | int) -}}
{{- $tokens := include "ladder.opsTokens" . | fromYamlArray -}}
{{- if $tokens -}}
{{- $_ := set $server "auth" (dict "tokens" $tokens) -}}
{{- end -}}
{{- $owned := dict
  "application-id" (default (include "ladder.fullname" .) .Values.applicationId)
  "bootstrap-servers" $bootstrap
  "state-dir" .Values.persistence.mountPath
  "server" $server
  "topics" (dict "main" $main)
  "kafka" (dict "num.standby.replicas" (.Values.standbyReplicas | int))
-}}
{{- $config := mustMergeOverwrite (deepCopy .Values.config) $owned -}}
{{- if and .Values.rollOnConfigChange (not (hasKey $config "reload-restart-required")) -}}
{{- /* the roll restarts every pod on a change anyway, one at a time: no exit 3 on top of it */ -}}
{{- $_ := set $config "reload-restart-required" "log" -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/*
The ops tokens of server.auth.tokens, as a YAML list: one per key of ops.auth.existingSecret,
each read from its mounted file by a secret reference (the config never holds a token).
*/}}
{{- define "ladder.opsTokens" -}}
{{- $auth := .Values.ops.auth -}}
{{- if $auth.existingSecret -}}
{{- if not (or $auth.readTokenKey $auth.operatorTokenKey) -}}
{{- fail "ops.auth.existingSecret is set but both ops.auth.readTokenKey and ops.auth.operatorTokenKey are empty: name at least one key" -}}
{{- end -}}
{{- if $auth.readTokenKey }}
- name: read
  role: read
  token: {{ printf "${file:%s/%s}" $auth.mountPath $auth.readTokenKey | quote }}
{{- end }}
{{- if $auth.operatorTokenKey }}
- name: operator
  role: operator
  token: {{ printf "${file:%s/%s}" $auth.mountPath $auth.operatorTokenKey | quote }}
{{- end }}
{{- else -}}
[]
{{- end -}}
{{- end -}}
