package io.hookway.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

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
		// a burst well over the quota, all at once so that it is a burst on a busy
		// machine too: a refusal shows everything a client needs to back off
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		List<Refusal> refusals = Flux.range(0, 60)
			.flatMap((i) -> refusal(client, token), 60)
			.flatMap(Mono::justOrEmpty)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(refusals).as("refusals among 60 calls at a quota of 20/s").isNotEmpty();
		Refusal refused = refusals.get(0);
		assertThat(refused.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(refused.headers().getFirst("RateLimit")).startsWith("\"default\";r=0;");
		assertThat(refused.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.body()).contains("\"code\":\"rate_limited\"");
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

	private static Mono<Optional<Refusal>> refusal(WebClient client, String token) {
		return client.get()
			.uri("/v1/tasks")
			.headers((headers) -> headers.setBearerAuth(token))
			.exchangeToMono((response) -> {
				if (response.statusCode().value() != 429) {
					return response.releaseBody().thenReturn(Optional.empty());
				}
				HttpHeaders headers = response.headers().asHttpHeaders();
				return response.bodyToMono(String.class).map((body) -> Optional.of(new Refusal(headers, body)));
			});
	}

	private record Refusal(HttpHeaders headers, String body) {

	}

}
