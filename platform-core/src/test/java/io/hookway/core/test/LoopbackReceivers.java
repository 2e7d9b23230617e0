package io.hookway.core.test;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The tests' webhook receivers are {@link RecordingHttpServer}s: plain HTTP on loopback,
 * both of which a service refuses as an endpoint unless told otherwise.
 */
public final class LoopbackReceivers {

	private LoopbackReceivers() {
	}

	/** For a test's {@code @DynamicPropertySource}: endpoints may be such receivers. */
	public static void allow(DynamicPropertyRegistry registry) {
		registry.add("hookway.webhooks.allow-http", () -> "true");
		registry.add("hookway.webhooks.allow-private-targets", () -> "true");
	}

}
