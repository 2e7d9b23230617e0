package io.hookway.portal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;
import io.hookway.core.webhook.EndpointHeaders;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an endpoint subscribes to, checked against the event-type catalog (API.md §5, §9),
 * and its delivery settings (§10): static headers stored encrypted and shown only on the
 * endpoint itself, and a rate limit. Every refusal stores nothing.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class EndpointSettingsTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String OPERATOR = "settings-operator";

	private static final String OPERATOR_SECRET = "settings-operator-secret-0123456789";

	private static final String HOOK = "https://93.184.216.34/hook";

	@LocalServerPort
	int port;

	@Autowired
	SecretCipher cipher;

	PlatformClient portal;

	String operator;

	String application;

	UUID applicationId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> OPERATOR);
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		TestDatabase.keepConnectionsFew(registry);
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		this.operator = this.portal.token(OPERATOR, OPERATOR_SECRET);
		Map<String, Object> created = this.portal.createApplication(this.operator, "settings-" + UUID.randomUUID());
		this.applicationId = IdKind.APPLICATION.parse((String) created.get("id")).orElseThrow();
		this.application = this.portal.token((String) created.get("clientId"), (String) created.get("clientSecret"));
	}

	@Test
	void endpointsSubscribeToLiveCatalogTypesPrefixWildcardsOrEverything() {
		String live = "order-" + UUID.randomUUID().toString().substring(0, 8);
		String retired = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
		eventType(live + ".shipped", false);
		eventType(live + ".item.added", false);
		eventType(live + ".returned", true);
		eventType(retired + ".sent", true);

		assertThat(create(Map.of("url", HOOK, "eventTypes", List.of(live + ".*", "task.failed", live + ".*")))
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()).containsEntry("eventTypes", List.of(live + ".*", "task.failed"));
		create(Map.of("url", HOOK, "eventTypes", List.of("*"))).expectStatus().isCreated();
		create(Map.of("url", HOOK, "eventTypes", List.of(live + ".item.added", "endpoint.disabled"))).expectStatus()
			.isCreated();

		refused(create(Map.of("url", HOOK, "eventTypes", List.of(live + ".shipped", live + ".returned"))),
				"eventTypes[1]", "is deprecated");
		refused(create(Map.of("url", HOOK, "eventTypes", List.of(live + ".unknown"))), "eventTypes[0]",
				"is not an event type of the catalog");
		refused(create(Map.of("url", HOOK, "eventTypes", List.of("task.failed", "nothing-here.*"))), "eventTypes[1]",
				"matches no event type");
		refused(create(Map.of("url", HOOK, "eventTypes", List.of(retired + ".*"))), "eventTypes[0]",
				"matches only deprecated event types");
		refused(create(Map.of("url", HOOK, "eventTypes", List.of(live + "*"))), "eventTypes[0]",
				"is not an event type of the catalog");
		refused(create(Map.of("url", HOOK, "eventTypes", List.of())), "eventTypes", "at least one");
		assertThat(endpoints()).isEqualTo(3);

		String id = id(create(Map.of("url", HOOK, "eventTypes", List.of(live + ".shipped"))));
		refused(patch(id, Map.of("eventTypes", List.of(live + ".returned"))), "eventTypes[0]", "is deprecated");
		assertThat(column("event_types::text", id)).isEqualTo("{" + live + ".shipped}");
	}

	@Test
	@SuppressWarnings("unchecked")
	void headersAndRateLimitRoundTripWithTheHeadersEncrypted() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", "Bearer receiver-token-0123");
		headers.put("X-Api-Key", "key-4567");
		Map<String, Object> created = create(
				Map.of("url", HOOK, "eventTypes", List.of("task.failed"), "headers", headers, "rateLimit", 50))
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		assertThat(created).containsEntry("headers", headers).containsEntry("rateLimit", 50);
		String id = (String) created.get("id");
		assertThat(get(id)).containsEntry("headers", headers).containsEntry("rateLimit", 50);

		Map<String, Object> listed = ((List<Map<String, Object>>) send(HttpMethod.GET, "/v1/webhook-endpoints", null)
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("data")).get(0);
		assertThat(listed).containsEntry("id", id).containsEntry("rateLimit", 50).doesNotContainKey("headers");

		byte[] stored = sealedHeaders(id);
		String raw = new String(stored, StandardCharsets.ISO_8859_1);
		assertThat(raw).doesNotContain("receiver-token-0123").doesNotContain("key-4567").doesNotContain("X-Api-Key");
		assertThat(EndpointHeaders.open(this.cipher, stored)).isEqualTo(headers);

		assertThat(ok(patch(id, Map.of("rateLimit", 10)))).containsEntry("headers", headers)
			.containsEntry("rateLimit", 10);
		assertThat(ok(patch(id, Map.of("description", "quiet")))).containsEntry("headers", headers)
			.containsEntry("rateLimit", 10);
		Map<String, Object> noLimit = new HashMap<>();
		noLimit.put("rateLimit", null);
		assertThat(ok(patch(id, noLimit))).containsEntry("headers", headers).containsEntry("rateLimit", null);
		assertThat(column("rate_limit::text", id)).isNull();
		assertThat(ok(patch(id, Map.of("headers", Map.of("x-other", "v 2"))))).containsEntry("headers",
				Map.of("x-other", "v 2"));
		assertThat(ok(patch(id, Map.of("headers", Map.of())))).containsEntry("headers", Map.of());
		assertThat(sealedHeaders(id)).isNull();
		assertThat(get(id)).containsEntry("headers", Map.of()).containsEntry("rateLimit", null);
	}

	@Test
	void reservedOrMalformedHeadersAndRateLimitsOutOfRangeAreRefused() {
		for (String name : List.of("webhook-id", "Webhook-Signature", "webhook-timestamp", "Content-Type",
				"content-length", "Host", "User-Agent", "Connection", "keep-alive", "Proxy-Authenticate",
				"proxy-authorization", "TE", "trailer", "Transfer-Encoding", "upgrade", "X Bad", "x:y", "naïve")) {
			refused(create(Map.of("url", HOOK, "eventTypes", List.of("task.failed"), "headers", Map.of(name, "v"))),
					"headers." + name, "");
		}
		for (String value : List.of("", "a\r\nInjected: yes", " leading", "trailing ", "é", "x".repeat(1025))) {
			refused(create(
					Map.of("url", HOOK, "eventTypes", List.of("task.failed"), "headers", Map.of("X-Key", value))),
					"headers.X-Key", "visible ASCII");
		}
		Map<String, String> tooMany = new LinkedHashMap<>();
		for (int i = 0; i < 21; i++) {
			tooMany.put("X-Header-" + i, "v");
		}
		refused(create(Map.of("url", HOOK, "eventTypes", List.of("task.failed"), "headers", tooMany)), "headers",
				"at most 20");
		Map<String, String> twice = new LinkedHashMap<>();
		twice.put("X-Key", "a");
		twice.put("x-key", "b");
		refused(create(Map.of("url", HOOK, "eventTypes", List.of("task.failed"), "headers", twice)), "headers.x-key",
				"case-insensitive");
		for (int rateLimit : List.of(0, -1, 10_001)) {
			refused(create(Map.of("url", HOOK, "eventTypes", List.of("task.failed"), "rateLimit", rateLimit)),
					"rateLimit", "between 1 and 10000");
		}
		assertThat(endpoints()).isZero();

		Map<String, String> twenty = new LinkedHashMap<>(tooMany);
		twenty.remove("X-Header-20");
		twenty.put("X-Header-0", "x".repeat(1024));
		String id = id(create(
				Map.of("url", HOOK, "eventTypes", List.of("task.failed"), "headers", twenty, "rateLimit", 10_000)));
		refused(patch(id, Map.of("rateLimit", 0)), "rateLimit", "between 1 and 10000");
		refused(patch(id, Map.of("headers", Map.of("Content-Type", "text/plain"))), "headers.Content-Type", "");
		refused(patch(id, Map.of("rateLimit", "5")), "rateLimit", "wrong type");
		assertThat(get(id)).containsEntry("headers", twenty).containsEntry("rateLimit", 10_000);
	}

	private void eventType(String name, boolean deprecated) {
		send(HttpMethod.POST, "/v1/event-types", Map.of("name", name, "deprecated", deprecated), this.operator)
			.expectStatus()
			.isCreated();
	}

	private WebTestClient.ResponseSpec create(Map<String, Object> body) {
		return send(HttpMethod.POST, "/v1/webhook-endpoints", body);
	}

	private WebTestClient.ResponseSpec patch(String id, Map<String, Object> body) {
		return send(HttpMethod.PATCH, "/v1/webhook-endpoints/" + id, body);
	}

	private Map<String, Object> get(String id) {
		return ok(send(HttpMethod.GET, "/v1/webhook-endpoints/" + id, null));
	}

	private static Map<String, Object> ok(WebTestClient.ResponseSpec response) {
		return response.expectStatus().isOk().expectBody(PlatformClient.JSON).returnResult().getResponseBody();
	}

	private static String id(WebTestClient.ResponseSpec created) {
		return (String) created.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("id");
	}

	private static void refused(WebTestClient.ResponseSpec response, String field, String message) {
		response.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(field)
			.jsonPath("$.errors[0].message")
			.value(String.class, (text) -> assertThat(text).contains(message));
	}

	private WebTestClient.ResponseSpec send(HttpMethod method, String uri, Object body) {
		return send(method, uri, body, this.application);
	}

	private WebTestClient.ResponseSpec send(HttpMethod method, String uri, Object body, String token) {
		WebTestClient.RequestBodySpec request = this.portal.http()
			.method(method)
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(token));
		return (body != null) ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
				: request.exchange();
	}

	/** The application's endpoints in the database, deleted or not. */
	private long endpoints() {
		return ROWS.count("select count(*) from webhook_endpoints where application_id = ?", this.applicationId);
	}

	private String column(String expression, String endpointId) {
		UUID id = IdKind.ENDPOINT.parse(endpointId).orElseThrow();
		List<String> values = ROWS.column("select " + expression + " from webhook_endpoints where id = ?", id);
		assertThat(values).as("a row for %s", id).hasSize(1);
		return values.get(0);
	}

	private byte[] sealedHeaders(String endpointId) {
		UUID id = IdKind.ENDPOINT.parse(endpointId).orElseThrow();
		List<Map<String, Object>> rows = ROWS.rows("select headers_encrypted from webhook_endpoints where id = ?", id);
		assertThat(rows).as("a row for %s", id).hasSize(1);
		return (byte[]) rows.get(0).get("headers_encrypted");
	}

}
