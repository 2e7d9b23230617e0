package io.hookway.dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.test.LoopbackReceivers;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;
import io.hookway.core.test.WebhookRows;
import io.hookway.core.webhook.WebhookSecret;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * With {@code hookway.operations.application-id} set, an endpoint disabled by its 410 and
 * a delivery that failed its last attempt are published to that application's endpoints,
 * signed like any message; nothing is published about the operations application's own
 * endpoints and deliveries. Runs on a database of its own.
 */
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperationalEventsTest {

	static final String DATABASE = TestDatabase.fresh("hookway_operations");

	static final TestRows ROWS = TestRows.of(DATABASE);

	static final UUID OPERATIONS = IdKind.newUuid();

	static final RecordingHttpServer receiver = RecordingHttpServer.start();

	@Autowired
	SecretCipher cipher;

	@Autowired
	JsonMapper json;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("management.server.port", () -> "0");
		TestDatabase.register(registry, DATABASE);
		LoopbackReceivers.allow(registry);
		registry.add("hookway.dispatcher.poll-interval", () -> "100ms");
		registry.add("hookway.webhooks.retry-schedule", () -> "200ms,200ms");
		registry.add("hookway.operations.application-id", () -> IdKind.APPLICATION.format(OPERATIONS));
		receiver.respondWith((request) -> {
			if (request.path().startsWith("/gone/")) {
				return Response.empty(410);
			}
			return Response.empty(request.path().startsWith("/failing/") ? 500 : 204);
		});
	}

	@AfterAll
	static void dropDatabase() {
		receiver.close();
		TestDatabase.drop(DATABASE);
	}

	@Test
	void endpointDisabledByItsGoneAnswerIsPublishedSignedToTheOperationsEndpoints() {
		WebhookRows webhooks = webhooks();
		WebhookSecret operator = WebhookSecret.generate();
		String operatorPath = operatorEndpoint(webhooks, operator, "endpoint.disabled");
		UUID customer = webhooks.application();
		String url = receiver.baseUrl() + "/gone/" + UUID.randomUUID();
		UUID gone = webhooks.endpoint(customer, url, WebhookSecret.generate(), "task.succeeded");
		webhooks.messages(customer, gone, "task.succeeded", 1);

		Request event = awaitEvent(operatorPath, gone);
		assertThatNoException()
			.isThrownBy(() -> new Webhook(operator.encoded()).verify(event.bodyAsString(), event.headers()));
		JsonNode body = this.json.readTree(event.bodyAsString());
		assertThat(body.get("type").stringValue()).isEqualTo("endpoint.disabled");
		JsonNode data = body.get("data");
		assertThat(data.get("applicationId").stringValue()).isEqualTo(IdKind.APPLICATION.format(customer));
		assertThat(data.get("url").stringValue()).isEqualTo(url);
		assertThat(data.get("reason").stringValue())
			.isEqualTo(ROWS.single("select disabled_reason from webhook_endpoints where id = ?", gone))
			.contains("410");
		assertThat(Instant.parse(data.get("disabledAt").stringValue())).isBefore(Instant.now());
		assertThat(body.get("timestamp").stringValue()).isEqualTo(data.get("disabledAt").stringValue());
		assertThat(ROWS.single("select enabled::text from webhook_endpoints where id = ?", gone)).isEqualTo("false");
		assertThat(
				ROWS.count(
						"select count(*) from webhook_messages where application_id = ? "
								+ "and event_type = 'endpoint.disabled' and payload like ?",
						OPERATIONS, "%" + ep(gone) + "%"))
			.isEqualTo(1);
	}

	@Test
	void endpointDisabledForFailingLongerThanDisableAfterIsPublished() {
		WebhookRows webhooks = webhooks();
		String operatorPath = operatorEndpoint(webhooks, WebhookSecret.generate(), "endpoint.*");
		UUID customer = webhooks.application();
		UUID failing = webhooks.endpoint(customer, receiver.baseUrl() + "/failing/" + UUID.randomUUID(),
				WebhookSecret.generate(), "task.failed");
		// failing for six days already, one more failure past the five of disable-after
		ROWS.execute("update webhook_endpoints set failing_since = now() - interval '6 days' where id = ?", failing);
		String since = ROWS.single("select to_char(failing_since at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
				+ "from webhook_endpoints where id = ?", failing);
		webhooks.messages(customer, failing, "task.failed", 1);

		JsonNode body = this.json.readTree(awaitEvent(operatorPath, failing).bodyAsString());
		assertThat(body.get("type").stringValue()).isEqualTo("endpoint.disabled");
		assertThat(body.get("data").get("reason").stringValue())
			.isEqualTo("Every delivery failed since " + since + ".");
		assertThat(ROWS.single("select enabled::text from webhook_endpoints where id = ?", failing)).isEqualTo("false");
		assertThat(ROWS.count(
				"select count(*) from webhook_messages where application_id = ? "
						+ "and event_type = 'endpoint.disabled' and payload like ?",
				OPERATIONS, "%" + ep(failing) + "%"))
			.isEqualTo(1);
	}

	@Test
	void deliveryThatFailedItsLastAttemptIsPublishedSignedToTheOperationsEndpoints() {
		WebhookRows webhooks = webhooks();
		WebhookSecret operator = WebhookSecret.generate();
		String operatorPath = operatorEndpoint(webhooks, operator, "delivery.*");
		UUID customer = webhooks.application();
		UUID failing = webhooks.endpoint(customer, receiver.baseUrl() + "/failing/" + UUID.randomUUID(),
				WebhookSecret.generate(), "task.failed");
		webhooks.messages(customer, failing, "task.failed", 1);

		Request event = awaitEvent(operatorPath, failing);
		assertThatNoException()
			.isThrownBy(() -> new Webhook(operator.encoded()).verify(event.bodyAsString(), event.headers()));
		JsonNode body = this.json.readTree(event.bodyAsString());
		assertThat(body.get("type").stringValue()).isEqualTo("delivery.exhausted");
		JsonNode data = body.get("data");
		String delivery = ROWS.single("select id::text from webhook_deliveries where endpoint_id = ?", failing);
		String message = ROWS.single("select message_id::text from webhook_deliveries where endpoint_id = ?", failing);
		assertThat(data.get("applicationId").stringValue()).isEqualTo(IdKind.APPLICATION.format(customer));
		assertThat(data.get("deliveryId").stringValue()).isEqualTo(IdKind.DELIVERY.format(UUID.fromString(delivery)));
		assertThat(data.get("messageId").stringValue()).isEqualTo(IdKind.MESSAGE.format(UUID.fromString(message)));
		assertThat(data.get("eventType").stringValue()).isEqualTo("task.failed");
		assertThat(data.get("attempts").intValue()).isEqualTo(3);
		assertThat(data.get("lastError").stringValue()).isEqualTo("The endpoint answered 500.");
		assertThat(ROWS.single("select status from webhook_deliveries where endpoint_id = ?", failing))
			.isEqualTo("FAILED");
	}

	@Test
	void nothingIsPublishedAboutTheOperationsApplicationsOwnEndpointsAndDeliveries() {
		WebhookRows webhooks = webhooks();
		operations(webhooks);
		UUID gone = webhooks.endpoint(OPERATIONS, receiver.baseUrl() + "/gone/" + UUID.randomUUID(),
				WebhookSecret.generate(), "webhook.test");
		UUID failing = webhooks.endpoint(OPERATIONS, receiver.baseUrl() + "/failing/" + UUID.randomUUID(),
				WebhookSecret.generate(), "webhook.test");
		webhooks.messages(OPERATIONS, gone, "webhook.test", 1);
		webhooks.messages(OPERATIONS, failing, "webhook.test", 1);

		// each event would have been written by the transaction that made these changes
		await().atMost(Duration.ofSeconds(15))
			.until(() -> ROWS.count("select count(*) from webhook_endpoints where id = ? and not enabled", gone) == 1
					&& ROWS.count(
							"select count(*) from webhook_deliveries where endpoint_id = ? " + "and status = 'FAILED'",
							failing) == 1);
		assertThat(ROWS.count("select count(*) from webhook_messages where payload like ? or payload like ?",
				"%" + ep(gone) + "%", "%" + ep(failing) + "%"))
			.isZero();
	}

	/**
	 * An endpoint of the operations application taking the types, at a path of its own.
	 */
	private String operatorEndpoint(WebhookRows webhooks, WebhookSecret secret, String... eventTypes) {
		operations(webhooks);
		String path = "/operator/" + UUID.randomUUID();
		webhooks.endpoint(OPERATIONS, receiver.baseUrl() + path, secret, eventTypes);
		return path;
	}

	private static void operations(WebhookRows webhooks) {
		if (ROWS.count("select count(*) from applications where id = ?", OPERATIONS) == 0) {
			webhooks.application(OPERATIONS);
		}
	}

	/** The event about the endpoint that arrived at the path. */
	private static Request awaitEvent(String path, UUID endpoint) {
		return await().atMost(Duration.ofSeconds(15))
			.until(() -> receiver.requests()
				.stream()
				.filter((r) -> r.path().equals(path) && r.bodyAsString().contains(ep(endpoint)))
				.findFirst()
				.orElse(null), (r) -> r != null);
	}

	private static String ep(UUID endpoint) {
		return IdKind.ENDPOINT.format(endpoint);
	}

	private WebhookRows webhooks() {
		return new WebhookRows(ROWS, this.cipher);
	}

}
