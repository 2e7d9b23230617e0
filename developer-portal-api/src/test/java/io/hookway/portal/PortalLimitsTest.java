package io.hookway.portal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-application limits of the portal: how many endpoints an application may have, and
 * how often it may send test events and retry deliveries by hand.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PortalLimitsTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String OPERATOR = "limits-operator";

	private static final String OPERATOR_SECRET = "limits-operator-secret-0123456789";

	private static final String HOOK = "https://93.184.216.34/hook";

	@LocalServerPort
	int port;

	PlatformClient portal;

	String operator;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> OPERATOR);
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		registry.add("hookway.portal.limits.max-endpoints-per-application", () -> "3");
		TestDatabase.keepConnectionsFew(registry);
		registry.add("hookway.portal.limits.endpoint-tests-per-minute", () -> "2");
		registry.add("hookway.portal.limits.delivery-retries-per-minute", () -> "2");
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		this.operator = this.portal.token(OPERATOR, OPERATOR_SECRET);
	}

	@Test
	void endpointsBeyondTheLimitAreRefusedNamingItAndCreateNothing() {
		String token = this.portal.applicationToken(this.operator, "endpoint-hoarder");
		String first = null;
		for (int i = 0; i < 3; i++) {
			String id = (String) create(token).expectStatus()
				.isCreated()
				.expectBody(PlatformClient.JSON)
				.returnResult()
				.getResponseBody()
				.get("id");
			first = (first != null) ? first : id;
		}
		create(token).expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("endpoint_limit_reached")
			.jsonPath("$.limit")
			.isEqualTo(3)
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("3")
				.contains("hookway.portal.limits.max-endpoints-per-application"));
		assertThat(endpointCount(token)).isEqualTo(3);
		this.portal.http()
			.delete()
			.uri("/v1/webhook-endpoints/{id}", first)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isNoContent();
		create(token).expectStatus().isCreated();
	}

	@Test
	void concurrentCreationsStopExactlyAtTheLimit() {
		String token = this.portal.applicationToken(this.operator, "endpoint-racer");
		List<Integer> statuses = Flux.range(0, 12)
			.flatMap(
					(i) -> this.portal.web()
						.post()
						.uri("/v1/webhook-endpoints")
						.headers((headers) -> headers.setBearerAuth(token))
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue(Map.of("url", HOOK, "eventTypes", List.of("task.succeeded")))
						.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())),
					12)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(statuses).filteredOn((status) -> status == 201).hasSize(3);
		assertThat(statuses).filteredOn((status) -> status == 422).hasSize(9);
		assertThat(endpointCount(token)).isEqualTo(3);
	}

	@Test
	void testEventsAreRateLimitedPerApplicationAndARefusalSendsNothing() {
		String token = this.portal.applicationToken(this.operator, "test-happy");
		String other = this.portal.applicationToken(this.operator, "test-modest");
		String endpoint = endpointId(token);
		for (int i = 0; i < 2; i++) {
			test(token, endpoint).expectStatus().isAccepted();
		}
		long messages = ROWS.count("select count(*) from webhook_messages where application_id = ?",
				application(token));
		test(token, endpoint).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.value(HttpHeaders.RETRY_AFTER, (seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("rate_limited");
		assertThat(ROWS.count("select count(*) from webhook_messages where application_id = ?", application(token)))
			.isEqualTo(messages);
		test(other, endpointId(other)).expectStatus().isAccepted();
	}

	@Test
	void retriesByHandAreRateLimitedPerApplicationAndARefusalChangesNothing() {
		String token = this.portal.applicationToken(this.operator, "retry-happy");
		String endpoint = endpointId(token);
		String messageId = (String) test(token, endpoint).expectStatus()
			.isAccepted()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("messageId");
		UUID delivery = UUID.fromString(ROWS.single("select id::text from webhook_deliveries where message_id = ?",
				IdKind.MESSAGE.parse(messageId).orElseThrow()));
		String deliveryId = IdKind.DELIVERY.format(delivery);
		for (int i = 0; i < 2; i++) {
			retry(token, deliveryId).expectStatus().isAccepted();
		}
		String updated = ROWS.single("select updated_at::text from webhook_deliveries where id = ?", delivery);
		retry(token, deliveryId).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("rate_limited");
		assertThat(ROWS.single("select updated_at::text from webhook_deliveries where id = ?", delivery))
			.isEqualTo(updated);
	}

	private WebTestClient.ResponseSpec create(String token) {
		return this.portal.http()
			.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", HOOK, "eventTypes", List.of("task.succeeded")))
			.exchange();
	}

	private String endpointId(String token) {
		return (String) create(token).expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("id");
	}

	private WebTestClient.ResponseSpec test(String token, String endpoint) {
		return this.portal.http()
			.post()
			.uri("/v1/webhook-endpoints/{id}/test", endpoint)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange();
	}

	private WebTestClient.ResponseSpec retry(String token, String delivery) {
		return this.portal.http()
			.post()
			.uri("/v1/deliveries/{id}/retry", delivery)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange();
	}

	private long endpointCount(String token) {
		return ROWS.count("select count(*) from webhook_endpoints where application_id = ? and deleted_at is null",
				application(token));
	}

	/** The application a token was issued to, from its {@code app_id} claim. */
	private static UUID application(String token) {
		String claims = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"app_id\":\"(app_[^\"]+)\"")
			.matcher(claims);
		assertThat(matcher.find()).isTrue();
		return IdKind.APPLICATION.parse(matcher.group(1)).orElseThrow();
	}

}
