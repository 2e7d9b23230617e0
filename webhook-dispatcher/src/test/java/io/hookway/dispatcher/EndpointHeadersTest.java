package io.hookway.dispatcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.test.LoopbackReceivers;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;
import io.hookway.core.test.WebhookRows;
import io.hookway.core.webhook.EndpointHeaders;
import io.hookway.core.webhook.WebhookSecret;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * An endpoint's static headers (API §10) go with every delivery to it, as the portal
 * stores them: a JSON object encrypted with the secret cipher. Runs on a database of its
 * own.
 */
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndpointHeadersTest {

	static final String DATABASE = TestDatabase.fresh("hookway_headers");

	static final TestRows ROWS = TestRows.of(DATABASE);

	static final RecordingHttpServer receiver = RecordingHttpServer.start();

	@Autowired
	SecretCipher cipher;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("management.server.port", () -> "0");
		TestDatabase.register(registry, DATABASE);
		LoopbackReceivers.allow(registry);
		registry.add("hookway.dispatcher.poll-interval", () -> "100ms");
		registry.add("hookway.webhooks.retry-schedule", () -> "1h");
		receiver.respondWith((request) -> Response.empty(204));
	}

	@AfterAll
	static void dropDatabase() {
		receiver.close();
		TestDatabase.drop(DATABASE);
	}

	@Test
	void everyDeliveryCarriesTheEndpointsHeadersAndItsSignatureStillVerifies() {
		WebhookRows webhooks = new WebhookRows(ROWS, this.cipher);
		UUID application = webhooks.application();
		WebhookSecret secret = WebhookSecret.generate();
		String path = "/with-headers/" + UUID.randomUUID();
		UUID endpoint = webhooks.endpoint(application, receiver.baseUrl() + path, secret, "task.succeeded");
		// names a delivery sets itself, which the portal refuses, stored all the same
		storeHeaders(endpoint, """
				{"Authorization":"Bearer receiver-token","X-Api-Key":"k-1","webhook-id":"msg_forged",
				 "Content-Type":"text/plain","User-Agent":"forged"}""");
		webhooks.messages(application, endpoint, "task.succeeded", 2);

		List<Request> arrived = await().atMost(Duration.ofSeconds(10))
			.until(() -> to(path), (requests) -> requests.size() == 2);
		for (Request webhook : arrived) {
			assertThat(webhook.header("authorization")).isEqualTo("Bearer receiver-token");
			assertThat(webhook.header("x-api-key")).isEqualTo("k-1");
			assertThat(webhook.headers().get("webhook-id")).hasSize(1)
				.allMatch((id) -> id.startsWith("msg_"))
				.noneMatch("msg_forged"::equals);
			assertThat(webhook.headers().get("content-type")).containsExactly("application/json");
			assertThat(webhook.header("user-agent")).isEqualTo("Hookway-Webhooks/1");
			assertThatNoException()
				.isThrownBy(() -> new Webhook(secret.encoded()).verify(webhook.bodyAsString(), webhook.headers()));
		}
	}

	@Test
	void changedHeadersGoWithTheNextDelivery() {
		WebhookRows webhooks = new WebhookRows(ROWS, this.cipher);
		UUID application = webhooks.application();
		String path = "/changing/" + UUID.randomUUID();
		UUID endpoint = webhooks.endpoint(application, receiver.baseUrl() + path, WebhookSecret.generate(),
				"task.succeeded");
		storeHeaders(endpoint, "{\"X-Api-Key\":\"old\"}");
		webhooks.messages(application, endpoint, "task.succeeded", 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> to(path).size() == 1);

		storeHeaders(endpoint, "{\"X-Api-Key\":\"new\",\"X-Tenant\":\"t-9\"}");
		webhooks.messages(application, endpoint, "task.succeeded", 1);
		Request after = await().atMost(Duration.ofSeconds(10)).until(() -> to(path), (r) -> r.size() == 2).get(1);
		assertThat(after.header("x-api-key")).isEqualTo("new");
		assertThat(after.header("x-tenant")).isEqualTo("t-9");

		ROWS.execute("update webhook_endpoints set headers_encrypted = null where id = ?", endpoint);
		webhooks.messages(application, endpoint, "task.succeeded", 1);
		Request without = await().atMost(Duration.ofSeconds(10)).until(() -> to(path), (r) -> r.size() == 3).get(2);
		assertThat(without.header("x-api-key")).isNull();
	}

	@Test
	void headersThatCannotBeReadFailTheAttemptUnsentWithTheReason() {
		WebhookRows webhooks = new WebhookRows(ROWS, this.cipher);
		UUID application = webhooks.application();
		String path = "/unreadable/" + UUID.randomUUID();
		UUID endpoint = webhooks.endpoint(application, receiver.baseUrl() + path, WebhookSecret.generate(),
				"task.succeeded");
		// sealed for another purpose: the cipher refuses to open it as headers
		ROWS.execute(
				"update webhook_endpoints set headers_encrypted = ? where id = ?", this.cipher
					.encrypt(WebhookSecret.CIPHER_PURPOSE, "{\"X-Api-Key\":\"k\"}".getBytes(StandardCharsets.UTF_8)),
				endpoint);
		webhooks.messages(application, endpoint, "task.succeeded", 1);

		String error = "select a.error from delivery_attempts a join webhook_deliveries d on d.id = a.delivery_id "
				+ "where d.endpoint_id = ?";
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ROWS
				.count("select count(*) from delivery_attempts a join webhook_deliveries d on d.id = a.delivery_id "
						+ "where d.endpoint_id = ?", endpoint) == 1);
		assertThat(ROWS.single(error, endpoint)).isEqualTo("The endpoint's headers could not be read.");
		assertThat(to(path)).isEmpty();
	}

	private void storeHeaders(UUID endpoint, String json) {
		ROWS.execute("update webhook_endpoints set headers_encrypted = ? where id = ?",
				this.cipher.encrypt(EndpointHeaders.CIPHER_PURPOSE, json.getBytes(StandardCharsets.UTF_8)), endpoint);
	}

	private static List<Request> to(String path) {
		return receiver.requests().stream().filter((r) -> r.path().equals(path)).toList();
	}

}
