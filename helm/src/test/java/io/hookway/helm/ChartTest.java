package io.hookway.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart lints clean and renders what an operator expects, in both modes. */
class ChartTest {

	private static final Path CHART = Path.of("hookway");

	private static final Pattern KIND = Pattern.compile("(?m)^kind: (\\w+)");

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
			.contains("path: /actuator/health/readiness", "path: /actuator/health/liveness")
			.contains("readOnlyRootFilesystem: true", "runAsNonRoot: true")
			.contains("secretKeyRef: {name: hookway-database, key: url}")
			.contains("name: SPRING_FLYWAY_ENABLED\n              value: \"false\"");
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
