package io.hookway.portal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.SilentNameServer;
import io.hookway.core.test.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registering an endpoint whose name server never answers is a 503 within the look-up
 * deadline, not a request hanging for ever; other registrations go on meanwhile.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndpointDnsTimeoutTest {

	private static final String OPERATOR_SECRET = "dns-timeout-operator-secret-0123456789";

	static final SilentNameServer nameServer = new SilentNameServer();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> "dns-timeout-operator");
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		registry.add("hookway.dns.servers", () -> "127.0.0.1:" + nameServer.port());
		registry.add("hookway.dns.timeout", () -> "1s");
	}

	@AfterAll
	static void stopNameServer() {
		nameServer.close();
	}

	@Test
	void registrationWhoseNameServerNeverAnswersIsA503WithinTheDeadline() {
		PlatformClient portal = new PlatformClient(this.port);
		WebTestClient http = portal.http();
		String owner = portal.applicationToken(portal.token("dns-timeout-operator", OPERATOR_SECRET), "dns-timeout");
		long start = System.nanoTime();
		http.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(owner))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "https://hooks.never-answers.test/in", "eventTypes", List.of("task.failed")))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("dns_timeout");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		http.get()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data")
			.isEmpty();
		// an address that needs no name server is checked at once
		http.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(owner))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "https://93.184.216.34/in", "eventTypes", List.of("task.failed")))
			.exchange()
			.expectStatus()
			.isCreated();
	}

}
