package io.hookway.standalone;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;

import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.RecordingHttpServer.Request;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * Managing endpoints after registration: test events, the delivery log, retry, rotation,
 * edits.
 */
class EndpointManagementTest extends StandaloneIntegrationTest {

	@Test
	void testEventIsSignedAndDeliveredEvenToAnEndpointNotSubscribedToIt() {
		Tenant tenant = newTenant("endpoint-test-event");
		String path = "/hooks/" + UUID.randomUUID();
		Map<String, Object> endpoint = this.client.registerEndpoint(tenant.token(), receiver.baseUrl() + path,
				List.of("task.failed"));
		String messageId = (String) this.client.http()
			.post()
			.uri("/v1/webhook-endpoints/{id}/test", endpoint.get("id"))
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("messageId");
		Request received = awaitFirst(path);
		assertThat(received.header("webhook-id")).isEqualTo(messageId);
		assertThat(received.bodyAsString()).contains("\"type\":\"webhook.test\"");
		assertThatNoException().isThrownBy(
				() -> new Webhook((String) endpoint.get("secret")).verify(received.bodyAsString(), received.headers()));
	}

	@Test
	void deliveryLogShowsEveryAttemptAndARetryByHandSendsTheSameMessageAgain() {
		Tenant tenant = newTenant("endpoint-log");
		Tenant stranger = newTenant("endpoint-log-stranger");
		String path = "/flaky/" + UUID.randomUUID();
		Map<String, Object> endpoint = this.client.registerEndpoint(tenant.token(), receiver.baseUrl() + path,
				List.of("task.succeeded"));
		submit(tenant);
		await().atMost(Duration.ofSeconds(15)).until(() -> countTo(path) == 2);

		Map<String, Object> page = await().atMost(Duration.ofSeconds(5))
			.until(() -> get(tenant, "/v1/webhook-endpoints/" + endpoint.get("id") + "/deliveries?status=SUCCEEDED"),
					(body) -> ((List<?>) body.get("data")).size() == 1);
		@SuppressWarnings("unchecked")
		Map<String, Object> delivery = ((List<Map<String, Object>>) page.get("data")).get(0);
		assertThat(delivery).containsEntry("status", "SUCCEEDED").containsEntry("eventType", "task.succeeded");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> attempts = (List<Map<String, Object>>) delivery.get("attempts");
		assertThat(attempts.stream().map((attempt) -> attempt.get("statusCode")).toList()).containsExactly(500, 204);
		String deliveryId = (String) delivery.get("id");
		assertThat(get(tenant, "/v1/deliveries/" + deliveryId)).containsEntry("messageId", delivery.get("messageId"));
		this.client.http()
			.get()
			.uri("/v1/deliveries/{id}", deliveryId)
			.headers((headers) -> headers.setBearerAuth(stranger.token()))
			.exchange()
			.expectStatus()
			.isNotFound();

		this.client.http()
			.post()
			.uri("/v1/deliveries/{id}/retry", deliveryId)
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.exchange()
			.expectStatus()
			.isAccepted();
		await().atMost(Duration.ofSeconds(10)).until(() -> countTo(path) == 3);
		List<Request> sent = receiver.requests().stream().filter((r) -> r.path().equals(path)).toList();
		assertThat(sent.get(2).header("webhook-id")).isEqualTo(sent.get(0).header("webhook-id"));
	}

	@Test
	void afterRotationDeliveriesAreSignedWithBothSecretsAndTheNewOneIsRevealed() {
		Tenant tenant = newTenant("endpoint-rotation");
		String path = "/hooks/" + UUID.randomUUID();
		Map<String, Object> endpoint = this.client.registerEndpoint(tenant.token(), receiver.baseUrl() + path,
				List.of("task.succeeded"));
		String old = (String) endpoint.get("secret");
		String rotated = (String) this.client.http()
			.post()
			.uri("/v1/webhook-endpoints/{id}/rotate-secret", endpoint.get("id"))
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("secret");
		assertThat(rotated).startsWith("whsec_").isNotEqualTo(old);
		assertThat(get(tenant, "/v1/webhook-endpoints/" + endpoint.get("id") + "/secret")).containsEntry("secret",
				rotated);
		submit(tenant);
		Request received = awaitFirst(path);
		assertThatNoException()
			.isThrownBy(() -> new Webhook(rotated).verify(received.bodyAsString(), received.headers()));
		assertThatNoException().isThrownBy(() -> new Webhook(old).verify(received.bodyAsString(), received.headers()));
	}

	@Test
	void endpointCanBeEditedDisabledAndEnabledAgain() {
		Tenant tenant = newTenant("endpoint-edit");
		Map<String, Object> endpoint = this.client.registerEndpoint(tenant.token(),
				receiver.baseUrl() + "/hooks/" + UUID.randomUUID(), List.of("task.succeeded"));
		String uri = "/v1/webhook-endpoints/" + endpoint.get("id");
		Map<String, Object> disabled = patch(tenant, uri,
				Map.of("enabled", false, "eventTypes", List.of("task.failed")));
		assertThat(disabled).containsEntry("enabled", false)
			.containsEntry("eventTypes", List.of("task.failed"))
			.containsEntry("disabledReason", "Disabled by its owner.");
		Map<String, Object> enabled = patch(tenant, uri, Map.of("enabled", true, "description", "orders"));
		assertThat(enabled).containsEntry("enabled", true)
			.containsEntry("description", "orders")
			.containsEntry("eventTypes", List.of("task.failed"));
		assertThat(enabled.get("disabledReason")).isNull();
		this.client.http()
			.patch()
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("eventTypes", List.of("task.vanished")))
			.exchange()
			.expectStatus()
			.isEqualTo(422);
	}

	private Map<String, Object> patch(Tenant tenant, String uri, Map<String, Object> changes) {
		return this.client.http()
			.patch()
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(changes)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
	}

	private Map<String, Object> get(Tenant tenant, String uri) {
		return this.client.http()
			.get()
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
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

	private static Request awaitFirst(String path) {
		return await().atMost(Duration.ofSeconds(15))
			.until(() -> first(receiver.requests(), (r) -> path.equals(r.path())), (r) -> r != null);
	}

	private static long countTo(String path) {
		return receiver.requests().stream().filter((r) -> r.path().equals(path)).count();
	}

}
