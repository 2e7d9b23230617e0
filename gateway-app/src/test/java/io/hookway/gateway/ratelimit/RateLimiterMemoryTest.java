package io.hookway.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.gateway.GatewayApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-application limiters are kept for a bounded number of applications: tokens of an
 * external issuer may name any number of them.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RateLimiterMemoryTest {

	@LocalServerPort
	int port;

	@Autowired
	DeploymentRateLimiter limiter;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("management.server.port", () -> "0");
		TestDatabase.register(registry);
		registry.add("hookway.rate-limit.tracked-applications", () -> "5");
	}

	@Test
	void callsOfManyApplicationsKeepOnlyTheConfiguredNumberOfLimiters() {
		TestIssuer issuer = TestIssuer.shared();
		WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		for (int i = 0; i < 50; i++) {
			String token = issuer.applicationToken(IdKind.newUuid(), "tasks:read");
			http.get()
				.uri("/v1/tasks")
				.headers((headers) -> headers.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.exists("RateLimit");
		}
		assertThat(this.limiter.trackedApplications()).isLessThanOrEqualTo(5);
	}

}
