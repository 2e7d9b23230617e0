package io.hookway.gateway;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TcpProxy;
import io.hookway.core.test.TestIssuer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's database goes away and comes back: calls get a quick 503 with Retry-After
 * instead of hanging or a 500, readiness reports it, and the gateway recovers by itself.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseOutageTest {

	static final TcpProxy database = ProxiedDatabase.proxy();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ProxiedDatabase.register(registry, database);
		registry.add("hookway.routes.ledger.upstream", () -> "http://127.0.0.1:9");
		registry.add("management.server.port", () -> "0");
	}

	@AfterAll
	static void closeProxy() {
		database.close();
	}

	@Test
	void unavailableDatabaseGivesA503QuicklyAndTheGatewayRecoversWhenItReturns() {
		WebTestClient http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		String token = TestIssuer.shared().applicationToken(IdKind.newUuid(), "tasks:write");
		submit(http, token).expectStatus().isAccepted();

		database.cut();
		Instant start = Instant.now();
		submit(http, token).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("database_unavailable");
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(6));
		management.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);

		database.restore();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> submit(http, token).returnResult(String.class).getStatus().value() == 202);
		management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
	}

	private static WebTestClient.ResponseSpec submit(WebTestClient http, String token) {
		return http.post()
			.uri("/api/ledger/entries")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"amount\":1}")
			.exchange();
	}

}
