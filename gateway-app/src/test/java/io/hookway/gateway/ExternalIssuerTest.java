package io.hookway.gateway;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway trusting another OAuth2 issuer, configured the Spring Boot way: its tokens
 * name the application in a claim of the operator's choice, their scopes gate the calls
 * as usual, and tokens of the embedded issuer are no longer accepted.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExternalIssuerTest {

	static final TestIssuer external = TestIssuer.external("https://idp.example.test/");

	static final RecordingHttpServer identityProvider = RecordingHttpServer.start();

	@LocalServerPort
	int port;

	WebTestClient http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		identityProvider.respondWith((request) -> Response.json(200, external.jwkSetJson()));
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
				() -> identityProvider.baseUrl() + "/.well-known/jwks.json");
		registry.add("hookway.auth.application-claim", () -> "hookway_application");
		registry.add("hookway.routes.billing.upstream", () -> "http://127.0.0.1:9");
	}

	@AfterAll
	static void stop() {
		identityProvider.close();
	}

	@BeforeEach
	void setUp() {
		this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	@Test
	void tokensOfTheExternalIssuerActForTheApplicationTheyName() {
		UUID application = IdKind.newUuid();
		String token = external.tokenWithClaims(Map.of("hookway_application", IdKind.APPLICATION.format(application)),
				"tasks:write", "tasks:read");
		String taskId = (String) this.http.post()
			.uri("/api/billing/invoices")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("taskId");
		this.http.get()
			.uri("/v1/tasks/{id}", taskId)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk();
		String otherApplication = external
			.tokenWithClaims(Map.of("hookway_application", IdKind.APPLICATION.format(IdKind.newUuid())), "tasks:read");
		this.http.get()
			.uri("/v1/tasks/{id}", taskId)
			.headers((headers) -> headers.setBearerAuth(otherApplication))
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void scopesOfTheExternalTokenGateCallsAndEmbeddedTokensAreRefused() {
		String readOnly = external
			.tokenWithClaims(Map.of("hookway_application", IdKind.APPLICATION.format(IdKind.newUuid())), "tasks:read");
		this.http.post()
			.uri("/api/billing/invoices")
			.headers((headers) -> headers.setBearerAuth(readOnly))
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isForbidden();
		String noApplication = external.tokenWithClaims(Map.of(), "tasks:write");
		this.http.post()
			.uri("/api/billing/invoices")
			.headers((headers) -> headers.setBearerAuth(noApplication))
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isForbidden();
		String embedded = TestIssuer.shared().applicationToken(IdKind.newUuid(), "tasks:write");
		this.http.post()
			.uri("/api/billing/invoices")
			.headers((headers) -> headers.setBearerAuth(embedded))
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

}
