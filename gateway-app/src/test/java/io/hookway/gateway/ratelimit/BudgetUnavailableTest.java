package io.hookway.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TcpProxy;
import io.hookway.core.test.TestIssuer;
import io.hookway.gateway.GatewayApplication;
import io.hookway.gateway.ProxiedDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the database out of reach, the shared budget cannot be leased from: the gateway
 * then grants each application its fallback share of the quota on its own (here 10, a
 * quarter of 40) and refuses the rest with 429, instead of refusing or passing
 * everything. The clock stands still, so that every call falls in one window however long
 * a call that finds no database takes.
 */
@DirtiesContext
@SpringBootTest(classes = { GatewayApplication.class, BudgetUnavailableTest.StoppedClock.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BudgetUnavailableTest {

	static final TcpProxy database = ProxiedDatabase.proxy();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ProxiedDatabase.register(registry, database);
		registry.add("management.server.port", () -> "0");
		// the shared test server has few connections to spare; let go of them afterwards
		registry.add("spring.r2dbc.pool.initial-size", () -> "1");
		// a quota of 400 in windows of 400 seconds, a fallback share of 10: a call that
		// finds no database may take seconds to be answered
		registry.add("hookway.rate-limit.requests-per-second", () -> "1");
		registry.add("hookway.rate-limit.burst", () -> "400");
		registry.add("hookway.rate-limit.fallback-share", () -> "0.025");
	}

	@AfterAll
	static void closeProxy() {
		database.close();
	}

	@Test
	void unreachableBudgetLeavesEachApplicationTheFallbackShareOfTheGateway() {
		WebTestClient http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		// a first call while the database is there, so the gateway knows the signing key
		http.get()
			.uri("/v1/tasks")
			.headers((headers) -> headers
				.setBearerAuth(TestIssuer.shared().applicationToken(IdKind.newUuid(), "tasks:read")))
			.exchange()
			.expectStatus()
			.isOk();
		String token = TestIssuer.shared().applicationToken(IdKind.newUuid(), "tasks:read");

		List<Integer> statuses = new ArrayList<>();
		database.cut();
		try {
			for (int i = 0; i < 15; i++) {
				statuses.add(http.get()
					.uri("/v1/tasks")
					.headers((headers) -> headers.setBearerAuth(token))
					.exchange()
					.returnResult(String.class)
					.getStatus()
					.value());
			}
		}
		finally {
			database.restore();
		}
		// let through by the fallback share, a call then finds no database to read: 503
		assertThat(statuses).as("answers while the database was away")
			.containsExactly(503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 429, 429, 429, 429, 429);
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics).contains("hookway_rate_limit_fallback_decisions_total 15.0"));
	}

	/** Not a {@code @Configuration}: other tests' component scans must not find it. */
	static class StoppedClock {

		@Bean
		Clock clock() {
			return Clock.fixed(Instant.now(), ZoneOffset.UTC);
		}

	}

}
