package io.hookway.portal;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal on its own: the embedded issuer (RFC 6749 client credentials, JWKS,
 * discovery), applications and webhook endpoints, over HTTP against real PostgreSQL.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PortalServiceTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	@LocalServerPort
	int port;

	PlatformClient portal;

	WebTestClient http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> "portal-operator");
		registry.add("hookway.portal.operator.client-secret", () -> "portal-operator-secret-0123456789");
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		this.http = this.portal.http();
	}

	@Test
	void discoveryAndJwksDescribeTheIssuerThatSignsTheTokens() {
		Map<String, Object> discovery = get("/.well-known/openid-configuration");
		assertThat(discovery).containsEntry("issuer", "http://localhost:8080")
			.containsEntry("token_endpoint", "http://localhost:8080/oauth2/token")
			.containsEntry("jwks_uri", "http://localhost:8080/oauth2/jwks")
			.containsEntry("grant_types_supported", List.of("client_credentials"))
			.containsEntry("scopes_supported", List.of("applications:manage", "tasks:write", "tasks:read",
					"webhooks:manage", "tasks:complete", "events:publish"));
		String token = operatorToken();
		String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
		String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
		assertThat(claims).contains("\"sub\":\"portal-operator\"").contains("\"aud\":\"hookway\"");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> keys = (List<Map<String, Object>>) get("/oauth2/jwks").get("keys");
		assertThat(keys).isNotEmpty().allSatisfy((key) -> assertThat(key).doesNotContainKeys("d", "p", "q"));
		assertThat(keys).anySatisfy((key) -> assertThat(header).contains("\"kid\":\"" + key.get("kid") + "\""));
	}

	@Test
	@SuppressWarnings("unchecked")
	void openApiDocumentDescribesThePortalWithoutAToken() {
		Map<String, Object> document = get("/v3/api-docs");
		assertThat(document).containsKey("openapi");
		assertThat((Map<String, Object>) document.get("paths")).containsKeys("/v1/applications",
				"/v1/webhook-endpoints/{id}/rotate-secret", "/v1/deliveries/{deliveryId}/retry", "/oauth2/token");
		this.http.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
	}

	@Test
	void tokenEndpointAnswersRfc6749Errors() {
		this.portal.tokenRequest("portal-operator", "wrong", "grant_type=client_credentials")
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.exists(HttpHeaders.WWW_AUTHENTICATE)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
		this.portal
			.tokenRequest("portal-operator", "portal-operator-secret-0123456789", "grant_type=authorization_code")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("unsupported_grant_type");
		this.portal
			.tokenRequest("portal-operator", "portal-operator-secret-0123456789",
					"grant_type=client_credentials&scope=tasks:write")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_scope");
		this.portal.tokenRequest("portal-operator", "portal-operator-secret-0123456789", "scope=applications:manage")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request");
		this.http.post()
			.uri("/oauth2/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=client_credentials")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
	}

	@Test
	void applicationLifecycleWithClientSecretPostScopeSelectionRotationAndDisabling() {
		String operator = operatorToken();
		Map<String, Object> created = this.http.post()
			.uri("/v1/applications")
			.headers((headers) -> headers.setBearerAuth(operator))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "portal-lifecycle", "scopes", List.of("tasks:read", "webhooks:manage")))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.value(HttpHeaders.LOCATION, (location) -> assertThat(location).startsWith("/v1/applications/app_"))
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		String id = (String) created.get("id");
		String clientId = (String) created.get("clientId");
		String secret = (String) created.get("clientSecret");
		assertThat(created).containsEntry("status", "ACTIVE")
			.containsEntry("scopes", List.of("tasks:read", "webhooks:manage"));

		Map<String, Object> shown = this.http.get()
			.uri("/v1/applications/{id}", id)
			.headers((headers) -> headers.setBearerAuth(operator))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		assertThat(shown).containsEntry("clientId", clientId).doesNotContainKey("clientSecret");

		Map<String, Object> narrowed = this.http.post()
			.uri("/oauth2/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials")
				.with("client_id", clientId)
				.with("client_secret", secret)
				.with("scope", "tasks:read"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore())
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		assertThat(narrowed).containsEntry("scope", "tasks:read").containsEntry("token_type", "Bearer");
		assertThat(narrowed.get("expires_in")).isEqualTo(900);

		String rotated = (String) this.http.post()
			.uri("/v1/applications/{id}/rotate-secret", id)
			.headers((headers) -> headers.setBearerAuth(operator))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("clientSecret");
		assertThat(rotated).isNotEqualTo(secret);
		this.portal.tokenRequest(clientId, secret, "grant_type=client_credentials").expectStatus().isUnauthorized();
		this.portal.tokenRequest(clientId, rotated, "grant_type=client_credentials").expectStatus().isOk();

		UUID pendingTask = IdKind.newUuid();
		ROWS.execute(
				"insert into tasks (id, application_id, route, method, path, request_headers, status, next_attempt_at) "
						+ "values (?, ?, 'any', 'POST', '/', '{}', 'ACCEPTED', now() + interval '1 hour')",
				pendingTask, IdKind.APPLICATION.parse(id).orElseThrow());
		UUID retryingTask = IdKind.newUuid();
		ROWS.execute("insert into tasks (id, application_id, route, method, path, request_headers, status, attempts, "
				+ "next_attempt_at) values (?, ?, 'any', 'POST', '/', '{}', 'RUNNING', 1, now() + interval '1 hour')",
				retryingTask, IdKind.APPLICATION.parse(id).orElseThrow());
		this.http.delete()
			.uri("/v1/applications/{id}", id)
			.headers((headers) -> headers.setBearerAuth(operator))
			.exchange()
			.expectStatus()
			.isNoContent();
		assertThat(ROWS.single("select status from tasks where id = ?", pendingTask)).isEqualTo("CANCELLED");
		assertThat(ROWS.single("select status from tasks where id = ?", retryingTask)).isEqualTo("CANCELLED");
		this.portal.tokenRequest(clientId, rotated, "grant_type=client_credentials").expectStatus().isUnauthorized();
		this.http.get()
			.uri("/v1/applications/{id}", id)
			.headers((headers) -> headers.setBearerAuth(operator))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("DISABLED");
	}

	@Test
	void webhookEndpointsAreValidatedScopedToTheirApplicationAndRevealTheirSecret() {
		String owner = applicationToken("portal-endpoint-owner");
		String stranger = applicationToken("portal-endpoint-stranger");
		this.http.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(owner))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "http://example.com/hook", "eventTypes", List.of("task.succeeded")))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("url")
			.jsonPath("$.errors[0].message")
			.isEqualTo("must use https");
		this.http.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(owner))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "https://169.254.169.254/latest/meta-data", "eventTypes", List.of("task.failed")))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("url");
		this.http.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(owner))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "https://93.184.216.34/hook", "eventTypes", List.of()))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("eventTypes");

		Map<String, Object> endpoint = this.http.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(owner))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "https://93.184.216.34/hook", "eventTypes", List.of("task.succeeded"),
					"description", "orders"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		String id = (String) endpoint.get("id");
		assertThat(id).startsWith("ep_");
		assertThat(endpoint).containsEntry("enabled", true).containsEntry("description", "orders");
		this.http.get()
			.uri("/v1/webhook-endpoints/{id}/secret", id)
			.headers((headers) -> headers.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.secret")
			.isEqualTo(endpoint.get("secret"));
		this.http.get()
			.uri("/v1/webhook-endpoints/{id}", id)
			.headers((headers) -> headers.setBearerAuth(stranger))
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.get()
			.uri("/v1/webhook-endpoints/{id}/secret", id)
			.headers((headers) -> headers.setBearerAuth(stranger))
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.get()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(stranger))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.length()")
			.isEqualTo(0);
		this.http.get()
			.uri("/v1/webhook-endpoints/{id}", id)
			.headers((headers) -> headers.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.secret")
			.doesNotExist()
			.jsonPath("$.disabledReason")
			.isEmpty();
		this.http.delete()
			.uri("/v1/webhook-endpoints/{id}", id)
			.headers((headers) -> headers.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isNoContent();
		this.http.get()
			.uri("/v1/webhook-endpoints/{id}", id)
			.headers((headers) -> headers.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	private String operatorToken() {
		return this.portal.token("portal-operator", "portal-operator-secret-0123456789");
	}

	private String applicationToken(String name) {
		return this.portal.applicationToken(operatorToken(), name);
	}

	private Map<String, Object> get(String uri) {
		return this.http.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
	}

}
