package io.hookway.portal;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operator client's secret is checked at start: a Helm Secret with an empty value, or
 * a short one, must not leave an operator client that anyone can guess.
 */
class OperatorSecretTest {

	@Test
	void emptyOperatorSecretRefusesToStart() {
		assertThatThrownBy(() -> start("").close()).hasStackTraceContaining("hookway.portal.operator.client-secret")
			.hasStackTraceContaining("empty");
		assertThatThrownBy(() -> start("   ").close()).hasStackTraceContaining("hookway.portal.operator.client-secret");
	}

	@Test
	void shortOperatorSecretRefusesToStartAndTheMessageDoesNotRepeatIt() {
		String secret = "x".repeat(11) + "-short-pass";
		assertThat(secret).hasSize(22);
		assertThatThrownBy(() -> start(secret).close()).hasStackTraceContaining("at least 24 characters")
			.satisfies((ex) -> assertThat(stackTrace(ex)).doesNotContain(secret));
	}

	@Test
	void operatorSecretWithATrailingNewlineRefusesToStart() {
		assertThatThrownBy(() -> start("b".repeat(30) + "\n").close()).hasStackTraceContaining("control character");
	}

	@Test
	void operatorSecretOf24CharactersStartsAndIssuesTokens() {
		try (ConfigurableApplicationContext context = start("a".repeat(24))) {
			new PlatformClient(port(context)).token("hookway-operator", "a".repeat(24));
		}
	}

	@Test
	void demoProfileKeepsItsPublishedShortSecret() {
		try (ConfigurableApplicationContext context = start("demo-operator-secret", "demo")) {
			PlatformClient portal = new PlatformClient(port(context));
			portal.token("hookway-operator", "demo-operator-secret");
			portal.tokenRequest("hookway-operator", "", "grant_type=client_credentials")
				.expectStatus()
				.isUnauthorized();
		}
	}

	private static ConfigurableApplicationContext start(String secret, String... profiles) {
		return new SpringApplicationBuilder(PortalApplication.class).profiles(profiles)
			.properties("server.port=0", "management.server.port=0", "hookway.secrets.allow-development-key=true",
					"hookway.database.url=" + TestDatabase.url(), "hookway.portal.operator.client-secret=" + secret)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static String stackTrace(Throwable ex) {
		java.io.StringWriter out = new java.io.StringWriter();
		ex.printStackTrace(new java.io.PrintWriter(out));
		return out.toString();
	}

}
