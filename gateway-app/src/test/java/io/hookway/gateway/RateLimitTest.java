package io.hookway.gateway;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-application rate limit, with a quota small enough to exhaust in a test. */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RateLimitTest {

	TestIssuer issuer;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	WebTestClient http;

	UUID applicationId = IdKind.newUuid();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("management.server.port", () -> "0");
		TestDatabase.register(registry);
		registry.add("hookway.rate-limit.requests-per-second", () -> "20");
	}

	@BeforeEach
	void setUp() {
		this.issuer = TestIssuer.shared();
		this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	@Test
	void applicationOverItsRateLimitIsToldToRetryAndOthersAreNotAffected() {
		String token = this.issuer.applicationToken(IdKind.newUuid(), "tasks:read");
		this.http.get()
			.uri("/v1/tasks")
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("RateLimit-Policy", "\"default\";q=20;w=1")
			.expectHeader()
			.value("RateLimit", (value) -> assertThat(value).matches("\"default\";r=(19|20);t=1"));
		// a burst well over the quota: the first refusal shows everything a client needs
		// to back off
		FluxExchangeResult<String> refused = null;
		for (int i = 0; i < 60 && refused == null; i++) {
			FluxExchangeResult<String> result = this.http.get()
				.uri("/v1/tasks")
				.headers((headers) -> headers.setBearerAuth(token))
				.exchange()
				.returnResult(String.class);
			if (result.getStatus().value() == 429) {
				refused = result;
			}
		}
		assertThat(refused).as("a refusal within 60 calls at a quota of 20/s").isNotNull();
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(refused.getResponseHeaders().getFirst("RateLimit")).startsWith("\"default\";r=0;");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getResponseBody().blockFirst()).contains("\"code\":\"rate_limited\"");
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics).contains("hookway_rate_limit_rejections_total{route=\"none\"}"));
		this.http.get()
			.uri("/v1/tasks")
			.headers((headers) -> headers.setBearerAuth(this.issuer.applicationToken(IdKind.newUuid(), "tasks:read")))
			.exchange()
			.expectStatus()
			.isOk();
	}

}
