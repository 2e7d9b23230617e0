package io.hookway.gateway.event;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.core.test.TestRows;
import io.hookway.gateway.GatewayApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing against the real schema: the message and its deliveries as the dispatcher
 * finds them, the one fan-out rule, and the catalog's schemas.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PublishEventTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final String INVOICE_SCHEMA = """
			{"type":"object","required":["amount","currency"],
			 "properties":{"amount":{"type":"integer","minimum":0},"currency":{"type":"string"}}}""";

	@LocalServerPort
	int port;

	WebTestClient http;

	String publisher;

	String family;

	String paid;

	UUID application;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes.billing.upstream", () -> "http://127.0.0.1:9");
	}

	@BeforeEach
	void setUp() throws Exception {
		this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		this.publisher = TestIssuer.shared().token("cli_billing_service", null, "events:publish");
		this.family = EventFixtures.family();
		this.paid = this.family + ".invoice.paid";
		EventFixtures.eventType(this.paid, INVOICE_SCHEMA, false);
		this.application = EventFixtures.application("ACTIVE");
	}

	@Test
	void eventIsStoredAsOneMessageWithADueDeliveryForEachSubscribedEndpoint() throws Exception {
		UUID wildcard = EventFixtures.endpoint(this.application, true, this.family + ".invoice.*");
		UUID exact = EventFixtures.endpoint(this.application, true, "task.succeeded", this.paid);
		EventFixtures.endpoint(this.application, true, this.family + ".order.shipped");
		EventFixtures.endpoint(this.application, false, "*");
		EventFixtures.endpoint(EventFixtures.application("ACTIVE"), true, "*");
		String body = "{\"applicationId\":\"" + IdKind.APPLICATION.format(this.application) + "\",\"type\":\""
				+ this.paid + "\",\"data\":{\"amount\":1250, \"currency\":\"EUR\",\"rate\":0.10}}";

		Map<String, Object> published;
		try (Connection listener = ROWS.connect(); Statement listen = listener.createStatement()) {
			listen.execute("LISTEN hookway_deliveries");
			published = publish(body).expectStatus()
				.isAccepted()
				.expectHeader()
				.doesNotExist("Idempotent-Replayed")
				.expectBody(JSON)
				.returnResult()
				.getResponseBody();
			// the deliverer is woken, not left to its next poll
			PGNotification[] woken = listener.unwrap(PGConnection.class).getNotifications(10_000);
			assertThat(woken).isNotEmpty();
		}

		assertThat(published).containsOnlyKeys("messageId", "type", "applicationId", "timestamp", "deliveries")
			.containsEntry("type", this.paid)
			.containsEntry("applicationId", IdKind.APPLICATION.format(this.application))
			.containsEntry("deliveries", 2);
		String timestamp = (String) published.get("timestamp");
		assertThat(timestamp).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		UUID message = IdKind.MESSAGE.parse((String) published.get("messageId")).orElseThrow();
		Map<String, Object> stored = ROWS
			.rows("select application_id, event_type, payload, publisher, task_id from webhook_messages where id = ?",
					message)
			.get(0);
		assertThat(stored).containsEntry("application_id", this.application)
			.containsEntry("event_type", this.paid)
			.containsEntry("publisher", "cli_billing_service")
			.containsEntry("task_id", null)
			.containsEntry("payload", "{\"type\":\"" + this.paid + "\",\"timestamp\":\"" + timestamp
					+ "\",\"data\":{\"amount\":1250,\"currency\":\"EUR\",\"rate\":0.10}}");
		List<Map<String, Object>> deliveries = ROWS.rows("select endpoint_id, application_id, event_type, status, "
				+ "ready, attempt_count, next_attempt_at <= now() as due, locked_by from webhook_deliveries "
				+ "where message_id = ?", message);
		assertThat(deliveries).extracting((row) -> row.get("endpoint_id")).containsExactlyInAnyOrder(wildcard, exact);
		assertThat(deliveries).allSatisfy((row) -> assertThat(row).containsEntry("application_id", this.application)
			.containsEntry("event_type", this.paid)
			.containsEntry("status", "PENDING")
			.containsEntry("ready", true)
			.containsEntry("attempt_count", 0)
			.containsEntry("due", true)
			.containsEntry("locked_by", null));
	}

	@Test
	void eventNoEndpointSubscribesToIsStillAcceptedWithNoDeliveries() throws Exception {
		EventFixtures.endpoint(this.application, true, this.family + ".order.*");
		publish(EventFixtures.publication(this.application, this.paid, "{\"amount\":1,\"currency\":\"EUR\"}"))
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.deliveries")
			.isEqualTo(0);
		assertThat(ROWS.count("select count(*) from webhook_messages where application_id = ?", this.application))
			.isEqualTo(1);
	}

	@Test
	void dataBreakingTheSchemaIsRefusedViolationByViolationAndNothingIsStored() throws Exception {
		EventFixtures.endpoint(this.application, true, "*");
		publish(EventFixtures.publication(this.application, this.paid, "{\"amount\":-5}")).expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors.length()")
			.isEqualTo(2)
			.jsonPath("$.errors[?(@.field == 'data/amount')].message")
			.exists()
			.jsonPath("$.errors[?(@.field == 'data/currency')].message")
			.exists();
		assertThat(ROWS.count("select count(*) from webhook_messages where application_id = ?", this.application))
			.isZero();
		assertThat(ROWS.count("select count(*) from webhook_deliveries where application_id = ?", this.application))
			.isZero();
	}

	@Test
	void aChangedSchemaAppliesFromTheNextEventOn() throws Exception {
		String data = "{\"amount\":5,\"currency\":\"EUR\"}";
		publish(EventFixtures.publication(this.application, this.paid, data)).expectStatus().isAccepted();
		EventFixtures.changeSchema(this.paid, "{\"type\":\"object\",\"required\":[\"customer\"]}");
		publish(EventFixtures.publication(this.application, this.paid, data)).expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("data/customer");
	}

	@Test
	void tokenWithoutEventsPublishIsForbidden() throws Exception {
		String webhooks = TestIssuer.shared().applicationToken(this.application, "webhooks:manage", "tasks:write");
		this.http.post()
			.uri("/internal/v1/events")
			.headers((headers) -> headers.setBearerAuth(webhooks))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(EventFixtures.publication(this.application, this.paid, "{\"amount\":1,\"currency\":\"EUR\"}"))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(ROWS.count("select count(*) from webhook_messages where application_id = ?", this.application))
			.isZero();
	}

	private WebTestClient.ResponseSpec publish(String body) {
		return this.http.post()
			.uri("/internal/v1/events")
			.headers((headers) -> headers.setBearerAuth(this.publisher))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

}
