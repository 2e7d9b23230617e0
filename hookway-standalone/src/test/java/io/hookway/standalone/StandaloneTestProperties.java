package io.hookway.standalone;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every standalone test configures: an operator, fast polling, webhooks to loopback.
 */
final class StandaloneTestProperties {

	static final String OPERATOR_ID = "test-operator";

	static final String OPERATOR_SECRET = "test-operator-secret";

	private StandaloneTestProperties() {
	}

	static void register(DynamicPropertyRegistry registry) {
		registry.add("hookway.portal.operator.client-id", () -> OPERATOR_ID);
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		registry.add("hookway.dispatcher.poll-interval", () -> "100ms");
		registry.add("hookway.webhooks.allow-http", () -> "true");
		registry.add("hookway.webhooks.allow-private-targets", () -> "true");
		registry.add("hookway.webhooks.retry-schedule", () -> "100ms,200ms,400ms");
	}

}
