package io.hookway.standalone;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.TcpProxy;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * Recovery after an outage, end to end: a receiver that cannot be reached makes every
 * delivery fail its whole schedule; once it is back, recovering the endpoint since before
 * the outage delivers each failed message again, with its original {@code webhook-id} and
 * a valid Standard Webhooks signature, and the log shows the same deliveries succeeded.
 */
class RecoveryTest extends StandaloneIntegrationTest {

	static final RecordingHttpServer outageReceiver = RecordingHttpServer.start();

	/** Between the platform and the receiver: cut, every connection fails. */
	static final TcpProxy link = TcpProxy.to("127.0.0.1", URI.create(outageReceiver.baseUrl()).getPort());

	@AfterAll
	static void stop() {
		link.close();
		outageReceiver.close();
	}

	@Test
	void afterTheReceiverIsBackRecoveryDeliversEveryFailedMessageWithItsOriginalWebhookId() {
		Tenant tenant = newTenant("recovery-after-outage");
		Instant beforeOutage = Instant.now().minusSeconds(5);
		Map<String, Object> endpoint = this.client.registerEndpoint(tenant.token(),
				"http://127.0.0.1:" + link.port() + "/hooks/" + UUID.randomUUID(), List.of("task.succeeded"));
		String endpointId = (String) endpoint.get("id");
		link.cut();
		// two messages: with every attempt of both, the endpoint's breaker has seen fewer
		// than the 10 calls it needs to open, so the recovered ones go out at once
		submit(tenant);
		submit(tenant);
		List<Map<String, Object>> failed = await().atMost(Duration.ofSeconds(20))
			.until(() -> deliveries(tenant, endpointId, "FAILED"), (list) -> list.size() == 2);
		assertThat(failed).allSatisfy((delivery) -> assertThat((List<?>) delivery.get("attempts")).hasSize(4));
		assertThat(outageReceiver.requests()).isEmpty();

		link.restore();
		this.client.http()
			.post()
			.uri("/v1/webhook-endpoints/{id}/recover", endpointId)
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("since", beforeOutage.toString()))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.deliveries")
			.isEqualTo(2);

		List<Request> received = await().atMost(Duration.ofSeconds(15))
			.until(outageReceiver::requests, (requests) -> requests.size() == 2);
		assertThat(received.stream().map((request) -> request.header("webhook-id")).collect(Collectors.toSet()))
			.isEqualTo(field(failed, "messageId"));
		for (Request request : received) {
			assertThatNoException().isThrownBy(() -> new Webhook((String) endpoint.get("secret"))
				.verify(request.bodyAsString(), request.headers()));
			assertThat(request.bodyAsString()).startsWith("{\"type\":\"task.succeeded\"");
		}
		List<Map<String, Object>> succeeded = await().atMost(Duration.ofSeconds(10))
			.until(() -> deliveries(tenant, endpointId, "SUCCEEDED"), (list) -> list.size() == 2);
		assertThat(field(succeeded, "id")).isEqualTo(field(failed, "id"));
		assertThat(succeeded).allSatisfy((delivery) -> assertThat((List<?>) delivery.get("attempts")).hasSize(5));
		for (Object messageId : field(failed, "messageId")) {
			this.client.http()
				.get()
				.uri("/v1/messages/{id}", messageId)
				.headers((headers) -> headers.setBearerAuth(tenant.token()))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.type")
				.isEqualTo("task.succeeded")
				.jsonPath("$.deliveries[0].status")
				.isEqualTo("SUCCEEDED");
		}
	}

	private void submit(Tenant tenant) {
		this.client.http()
			.post()
			.uri("/api/reports/monthly")
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isAccepted();
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> deliveries(Tenant tenant, String endpointId, String status) {
		return (List<Map<String, Object>>) this.client.http()
			.get()
			.uri("/v1/webhook-endpoints/{id}/deliveries?status={status}", endpointId, status)
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("data");
	}

	private static Set<Object> field(List<Map<String, Object>> deliveries, String name) {
		return deliveries.stream().map((delivery) -> delivery.get(name)).collect(Collectors.toSet());
	}

}
