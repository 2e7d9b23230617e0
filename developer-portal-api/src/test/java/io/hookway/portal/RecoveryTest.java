package io.hookway.portal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery ({@code POST /v1/webhook-endpoints/{id}/recover}) re-queues exactly an
 * endpoint's failed deliveries of a window, keeping their ids, within the dispatcher's
 * retention period (2 days here); and the message then shows where it went.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RecoveryTest {

	private static final String OPERATOR = "recovery-operator";

	private static final String OPERATOR_SECRET = "recovery-operator-secret-0123456789";

	@LocalServerPort
	int port;

	PlatformClient portal;

	UUID applicationId;

	String token;

	String strangerToken;

	String endpoint;

	String otherEndpoint;

	Instant now;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> OPERATOR);
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		registry.add("hookway.dispatcher.retention", () -> "2d");
		TestDatabase.keepConnectionsFew(registry);
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		String operator = this.portal.token(OPERATOR, OPERATOR_SECRET);
		Map<String, Object> application = this.portal.createApplication(operator, "recovery-owner");
		this.applicationId = IdKind.APPLICATION.parse((String) application.get("id")).orElseThrow();
		this.token = this.portal.token((String) application.get("clientId"), (String) application.get("clientSecret"));
		this.strangerToken = this.portal.applicationToken(operator, "recovery-stranger");
		this.endpoint = endpoint();
		this.otherEndpoint = endpoint();
		this.now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * A dispatcher sharing the test database would send what is left pending to the
	 * endpoints' public address.
	 */
	@AfterEach
	void forgetMessages() {
		TestRows.testDatabase().execute("delete from webhook_messages where application_id = ?", this.applicationId);
	}

	@Test
	void recoveryRequeuesExactlyTheEndpointsFailedDeliveriesOfTheWindowKeepingTheirIds() {
		UUID sinceEdge = delivery(hoursAgo(4), this.endpoint, "FAILED");
		UUID inside = delivery(hoursAgo(3), this.endpoint, "FAILED");
		UUID succeeded = delivery(hoursAgo(2), this.endpoint, "SUCCEEDED");
		UUID pending = delivery(hoursAgo(2), this.endpoint, "PENDING");
		UUID message = StoredMessages.message(this.applicationId, "invoice.paid", hoursAgo(1.5), "{\"n\":1}");
		UUID failedHere = StoredMessages.delivery(message, endpointId(this.endpoint), this.applicationId, "FAILED");
		UUID failedElsewhere = StoredMessages.delivery(message, endpointId(this.otherEndpoint), this.applicationId,
				"FAILED");
		UUID untilEdge = delivery(hoursAgo(1), this.endpoint, "FAILED");
		UUID before = delivery(hoursAgo(36), this.endpoint, "FAILED");
		List<UUID> untouched = List.of(succeeded, pending, failedElsewhere, untilEdge, before);
		List<String> untouchedStates = untouched.stream().map(StoredMessages::stateOf).toList();

		recover(this.token, this.endpoint, Map.of("since", hoursAgo(4).toString(), "until", hoursAgo(1).toString()))
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.deliveries")
			.isEqualTo(3);

		for (UUID requeued : List.of(sinceEdge, inside, failedHere)) {
			assertThat(TestRows.testDatabase()
				.single("select count(*) from webhook_deliveries where id = ? "
						+ "and status = 'PENDING' and ready and lease_id is null and next_attempt_at <= now()",
						requeued))
				.as("delivery %s is due again", requeued)
				.isEqualTo("1");
		}
		assertThat(untouched.stream().map(StoredMessages::stateOf).toList()).isEqualTo(untouchedStates);
		assertThat(TestRows.testDatabase()
			.single("select count(*) from webhook_deliveries where application_id = ?", this.applicationId))
			.isEqualTo("8");
		this.portal.http()
			.get()
			.uri("/v1/messages/{id}", IdKind.MESSAGE.format(message))
			.headers((headers) -> headers.setBearerAuth(this.token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(IdKind.MESSAGE.format(message))
			.jsonPath("$.type")
			.isEqualTo("invoice.paid")
			.jsonPath("$.data.n")
			.isEqualTo(1)
			.jsonPath("$.deliveries.length()")
			.isEqualTo(2)
			.jsonPath("$.deliveries[?(@.id == '" + IdKind.DELIVERY.format(failedHere) + "')].status")
			.isEqualTo("PENDING")
			.jsonPath("$.deliveries[?(@.id == '" + IdKind.DELIVERY.format(failedHere) + "')].endpointId")
			.isEqualTo(this.endpoint)
			.jsonPath("$.deliveries[?(@.id == '" + IdKind.DELIVERY.format(failedElsewhere) + "')].status")
			.isEqualTo("FAILED");
	}

	@Test
	void untilDefaultsToNowAndWhatIsPendingAlreadyIsNotCountedAgain() {
		UUID recent = delivery(this.now.minusSeconds(60), this.endpoint, "FAILED");
		Map<String, Object> body = Map.of("since", hoursAgo(1).toString());
		recover(this.token, this.endpoint, body).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.deliveries")
			.isEqualTo(1);
		assertThat(StoredMessages.stateOf(recent)).contains("|PENDING|");
		recover(this.token, this.endpoint, body).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.deliveries")
			.isEqualTo(0);
	}

	@Test
	void everyRefusalChangesNothing() {
		delivery(hoursAgo(2), this.endpoint, "FAILED");
		String deleted = endpoint();
		delivery(hoursAgo(2), deleted, "FAILED");
		String snapshot = StoredMessages.deliveriesOf(this.applicationId);
		String since = hoursAgo(3).toString();

		refused(Map.of("since", this.now.minus(3, ChronoUnit.DAYS).toString()), "since");
		refused(Map.of("since", since, "until", since), "until");
		refused(Map.of("since", hoursAgo(1).toString(), "until", hoursAgo(2).toString()), "until");
		refused(Map.of("since", "yesterday"), "since");
		refused(Map.of("since", since, "until", "2026-11-22 10:00:00"), "until");
		refused(Map.of("since", 1764547200), "since");
		refused(Map.of("until", since), "since");
		recover(this.token, this.endpoint, "{\"since\":").expectStatus().isBadRequest();
		recover(this.strangerToken, this.endpoint, Map.of("since", since)).expectStatus().isNotFound();
		recover(this.token, IdKind.ENDPOINT.format(IdKind.newUuid()), Map.of("since", since)).expectStatus()
			.isNotFound();
		recover(this.token, "ep_not-an-id", Map.of("since", since)).expectStatus().isNotFound();
		this.portal.http()
			.delete()
			.uri("/v1/webhook-endpoints/{id}", deleted)
			.headers((headers) -> headers.setBearerAuth(this.token))
			.exchange()
			.expectStatus()
			.isNoContent();
		recover(this.token, deleted, Map.of("since", since)).expectStatus().isNotFound();
		this.portal.http()
			.patch()
			.uri("/v1/webhook-endpoints/{id}", this.endpoint)
			.headers((headers) -> headers.setBearerAuth(this.token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("enabled", false))
			.exchange()
			.expectStatus()
			.isOk();
		recover(this.token, this.endpoint, Map.of("since", since)).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("endpoint_disabled");

		assertThat(StoredMessages.deliveriesOf(this.applicationId)).isEqualTo(snapshot);
	}

	private void refused(Object body, String field) {
		recover(this.token, this.endpoint, body).expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
	}

	private WebTestClient.ResponseSpec recover(String bearer, String endpointId, Object body) {
		return this.portal.http()
			.post()
			.uri("/v1/webhook-endpoints/{id}/recover", endpointId)
			.headers((headers) -> headers.setBearerAuth(bearer))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	/** A message of the owner created at the time, and its delivery to the endpoint. */
	private UUID delivery(Instant createdAt, String endpointId, String status) {
		UUID message = StoredMessages.message(this.applicationId, "invoice.paid", createdAt, "{}");
		return StoredMessages.delivery(message, endpointId(endpointId), this.applicationId, status);
	}

	private String endpoint() {
		return (String) this.portal.http()
			.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(this.token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "https://93.184.216.34/hook", "eventTypes", List.of("task.succeeded")))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("id");
	}

	private Instant hoursAgo(double hours) {
		return this.now.minusSeconds((long) (hours * 3600));
	}

	private static UUID endpointId(String endpoint) {
		return IdKind.ENDPOINT.parse(endpoint).orElseThrow();
	}

}
