{{- define "hookway.labels" -}}
app.kubernetes.io/part-of: hookway
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{/* The environment every service gets: database, secrets, the shared configuration. */}}
{{- define "hookway.env" -}}
- name: HOOKWAY_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ .Values.databaseSecret }}, key: url}}
- name: HOOKWAY_DATABASE_USERNAME
  valueFrom: {secretKeyRef: {name: {{ .Values.databaseSecret }}, key: username}}
- name: HOOKWAY_DATABASE_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ .Values.databaseSecret }}, key: password}}
- name: HOOKWAY_SECRETS_ENCRYPTION_KEY
  valueFrom: {secretKeyRef: {name: {{ .Values.secretsSecret }}, key: encryption-key}}
- name: HOOKWAY_PORTAL_OPERATOR_CLIENT_SECRET
  valueFrom: {secretKeyRef: {name: {{ .Values.secretsSecret }}, key: operator-client-secret}}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: /config/
- name: SPRING_FLYWAY_ENABLED
  value: {{ not .Values.migrations.enabled | quote }}
{{- with .Values.logFormat }}
- name: LOGGING_STRUCTURED_FORMAT_CONSOLE
  value: {{ . | quote }}
{{- end }}
{{- with .Values.tracing.otlpEndpoint }}
- name: MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: MANAGEMENT_TRACING_SAMPLING_PROBABILITY
  value: {{ .Values.tracing.samplingProbability | quote }}
- name: JAVA_TOOL_OPTIONS
  value: "-XX:MaxRAMPercentage=70 -Djava.io.tmpdir=/tmp"
{{- end }}

{{/* One service's Deployment; dict: root, name, values, port. */}}
{{- define "hookway.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .root.Release.Name }}-{{ .name }}
  labels:
    {{- include "hookway.labels" .root | nindent 4 }}
    app.kubernetes.io/name: hookway-{{ .name }}
spec:
  {{- if not (and .values.autoscaling .values.autoscaling.enabled) }}
  replicas: {{ .values.replicas }}
  {{- end }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .root.Release.Name }}
      app.kubernetes.io/name: hookway-{{ .name }}
  template:
    metadata:
      labels:
        {{- include "hookway.labels" .root | nindent 8 }}
        app.kubernetes.io/name: hookway-{{ .name }}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ .values.managementPort | quote }}
        prometheus.io/path: /actuator/prometheus
        checksum/config: {{ include (print .root.Template.BasePath "/configmap.yaml") .root | sha256sum }}
    spec:
      securityContext:
        {{- toYaml .root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: 40
      containers:
        - name: {{ .name }}
          image: "{{ .root.Values.image.prefix }}/hookway-{{ .image }}:{{ .root.Values.image.tag }}"
          imagePullPolicy: {{ .root.Values.image.pullPolicy }}
          args: ["--server.port={{ .values.port }}", "--management.server.port={{ .values.managementPort }}"]
          ports:
            - name: http
              containerPort: {{ .values.port }}
            - name: management
              containerPort: {{ .values.managementPort }}
          env:
            {{- include "hookway.env" .root | nindent 12 }}
          # a start takes seconds (class data sharing in the image); the startup probe
          # gives a slow one two minutes before liveness may restart it, and readiness is
          # asked from the first second, so a new pod takes traffic as soon as it can
          startupProbe:
            httpGet: {path: /actuator/health/liveness, port: management}
            periodSeconds: 1
            failureThreshold: 120
          livenessProbe:
            httpGet: {path: /actuator/health/liveness, port: management}
            periodSeconds: 10
          readinessProbe:
            httpGet: {path: /actuator/health/readiness, port: management}
            periodSeconds: 2
          resources:
            {{- toYaml .values.resources | nindent 12 }}
          securityContext:
            {{- toYaml .root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - {name: config, mountPath: /config, readOnly: true}
            - {name: tmp, mountPath: /tmp}
      volumes:
        - name: config
          configMap: {name: {{ .root.Release.Name }}-config}
        - name: tmp
          emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .root.Release.Name }}-{{ .name }}
  labels:
    {{- include "hookway.labels" .root | nindent 4 }}
spec:
  selector:
    app.kubernetes.io/instance: {{ .root.Release.Name }}
    app.kubernetes.io/name: hookway-{{ .name }}
  ports:
    - name: http
      port: 80
      targetPort: http
{{- if and .values.autoscaling .values.autoscaling.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .root.Release.Name }}-{{ .name }}
  labels:
    {{- include "hookway.labels" .root | nindent 4 }}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{ .root.Release.Name }}-{{ .name }}}
  minReplicas: {{ .values.autoscaling.minReplicas }}
  maxReplicas: {{ .values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: {{ .values.autoscaling.targetCPUUtilizationPercentage }}}
{{- end }}
{{- if .values.disruptionBudget }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .root.Release.Name }}-{{ .name }}
  labels:
    {{- include "hookway.labels" .root | nindent 4 }}
spec:
  minAvailable: {{ .values.disruptionBudget.minAvailable }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .root.Release.Name }}
      app.kubernetes.io/name: hookway-{{ .name }}
{{- end }}
{{- end }}
