package io.hookway.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart lints clean and renders what an operator expects, in both modes. */
class ChartTest {

	private static final Path CHART = Path.of("hookway");

	private static final Pattern KIND = Pattern.compile("(?m)^kind: (\\w+)");

	/** Where package.json and validate-manifests.mjs live: the module's directory. */
	private static final Path VALIDATOR = Path.of("").toAbsolutePath();

	/**
	 * Installs the validator's npm packages exactly as locked; the npm registry is the
	 * only network this needs, and a warm npm cache none.
	 */
	@BeforeAll
	static void installValidator() throws IOException, InterruptedException {
		Result install = run(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"));
		assertThat(install.exitCode()).as(install.output()).isZero();
	}

	@Test
	void chartLintsWithoutErrorsOrWarnings() {
		LintResult result = new Helm(CHART).lint().strict().call();
		assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
	}

	@Test
	void servicesModeRendersEachServiceWithProbesLimitsAndAMigrationHook() {
		String manifests = new Helm(CHART).template().withName("hw").call();
		assertThat(kinds(manifests)).containsOnlyOnce("ConfigMap")
			.contains("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget");
		assertThat(count(manifests, "kind: Deployment")).isEqualTo(3);
		assertThat(count(manifests, "kind: HorizontalPodAutoscaler")).isEqualTo(2);
		assertThat(manifests).contains("name: hw-gateway", "name: hw-dispatcher", "name: hw-portal")
			.contains("path: /actuator/health/readiness, port: management",
					"path: /actuator/health/liveness, port: management", "startupProbe:")
			.contains("--management.server.port=9080", "--management.server.port=9081", "--management.server.port=9082")
			.contains("name: management\n              containerPort: 9082", "prometheus.io/port: \"9081\"")
			.contains("readOnlyRootFilesystem: true", "runAsNonRoot: true")
			.contains("secretKeyRef: {name: hookway-database, key: url}")
			.contains("name: SPRING_FLYWAY_ENABLED\n              value: \"false\"")
			.contains("name: LOGGING_STRUCTURED_FORMAT_CONSOLE\n              value: \"ecs\"")
			.doesNotContain("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT");
	}

	@Test
	void migrationsRunAsAHookJobThatMigratesAndExits() throws java.io.IOException {
		// the embedded Helm's template leaves hooks out of its output; lint above renders
		// them
		String job = java.nio.file.Files.readString(CHART.resolve("templates/migrations-job.yaml"));
		assertThat(job).contains("kind: Job", "helm.sh/hook: pre-install,pre-upgrade",
				"--hookway.migrate-and-exit=true");
	}

	@Test
	void standaloneModeWithIngressRendersOneDeploymentBehindBothHosts() {
		String manifests = new Helm(CHART).template()
			.withName("hw")
			.set("mode", "standalone")
			.set("ingress.enabled", "true")
			.set("routes.reports.upstream", "http://reports:8080")
			.call();
		assertThat(count(manifests, "kind: Deployment")).isEqualTo(1);
		assertThat(manifests).contains("name: hw-standalone", "kind: Ingress", "upstream: http://reports:8080");
		assertThat(manifests).doesNotContain("name: hw-gateway");
	}

	@Test
	void plainTextLogsAndTraceExportAreOneValueAway() {
		String manifests = new Helm(CHART).template()
			.withName("hw")
			.set("logFormat", "")
			.set("tracing.otlpEndpoint", "http://otel-collector:4318/v1/traces")
			.call();
		assertThat(manifests).doesNotContain("LOGGING_STRUCTURED_FORMAT_CONSOLE")
			.contains("name: MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT\n"
					+ "              value: \"http://otel-collector:4318/v1/traces\"");
	}

	@Test
	void everyRenderedObjectMatchesItsKubernetesSchema(@TempDir Path work) throws IOException, InterruptedException {
		Path chart = withHooksAsPlainTemplates(work.resolve("chart"));
		List<Path> rendered = new ArrayList<>();
		rendered.add(write(work, "services.yaml",
				new Helm(chart).template()
					.withName("hw")
					.set("ingress.enabled", "true")
					.set("ingress.className", "nginx")
					.set("routes.reports.upstream", "http://reports:8080")
					.set("config.hookway.rate-limit.requests-per-second", "50")
					.call()));
		rendered.add(write(work, "services-fixed-replicas.yaml",
				new Helm(chart).template()
					.withName("hw")
					.set("gateway.autoscaling.enabled", "false")
					.set("dispatcher.autoscaling.enabled", "false")
					.set("migrations.enabled", "false")
					.call()));
		rendered.add(write(work, "standalone.yaml",
				new Helm(chart).template()
					.withName("hw")
					.set("mode", "standalone")
					.set("ingress.enabled", "true")
					.call()));
		String all = String.join("\n", rendered.stream().map(ChartTest::read).toList());
		assertThat(kinds(all)).contains("Job", "Deployment", "Service", "ConfigMap", "Ingress",
				"HorizontalPodAutoscaler", "PodDisruptionBudget");

		Result validation = validate(rendered);
		assertThat(validation.exitCode()).as(validation.output()).isZero();
		assertThat(validation.output()).contains("objects valid");
	}

	@Test
	void schemaValidationRejectsAManifestKubernetesWouldRefuse(@TempDir Path work)
			throws IOException, InterruptedException {
		Path broken = write(work, "broken.yaml", """
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: broken}
				spec:
				  replicas: two
				  selector: {matchLabels: {app: broken}}
				  template:
				    metadata: {labels: {app: broken}}
				    spec:
				      containers:
				        - image: hookway/hookway-gateway:0.1.0
				---
				apiVersion: apps/v1
				kind: Deploymnet
				metadata: {name: misspelt}
				""");
		Result validation = validate(List.of(broken));
		assertThat(validation.exitCode()).isNotZero();
		assertThat(validation.output()).contains("Deployment/broken", "replicas must be integer",
				"must have required property name", "Deploymnet/misspelt");
	}

	/**
	 * The embedded Helm's template leaves hook resources out; a copy of the chart without
	 * the hook annotations renders them like any other object.
	 */
	private static Path withHooksAsPlainTemplates(Path copy) throws IOException {
		try (Stream<Path> files = Files.walk(CHART)) {
			for (Path file : files.toList()) {
				Path target = copy.resolve(CHART.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					String text = Files.readString(file);
					Files.writeString(target, text.replaceAll("(?m)^\\s*helm\\.sh/hook[-a-z]*:.*\\n", ""));
				}
			}
		}
		return copy;
	}

	private static Result validate(List<Path> manifests) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("node", "validate-manifests.mjs"));
		manifests.forEach((manifest) -> command.add(manifest.toString()));
		return run(command);
	}

	private static Result run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(VALIDATOR.toFile()).redirectErrorStream(true).start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " did not finish:\n" + output);
		}
		return new Result(process.exitValue(), output);
	}

	private static Path write(Path directory, String name, String text) throws IOException {
		return Files.writeString(directory.resolve(name), text);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private record Result(int exitCode, String output) {
	}

	private static List<String> kinds(String manifests) {
		Matcher matcher = KIND.matcher(manifests);
		List<String> kinds = new java.util.ArrayList<>();
		while (matcher.find()) {
			kinds.add(matcher.group(1));
		}
		return kinds;
	}

	private static long count(String manifests, String text) {
		return manifests.lines().filter((line) -> line.trim().equals(text)).count();
	}

}
