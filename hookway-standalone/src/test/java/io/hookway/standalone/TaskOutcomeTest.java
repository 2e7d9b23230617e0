package io.hookway.standalone;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.standardwebhooks.Webhook;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.TestRows;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * How upstream answers become task outcomes and webhooks: permanent failures fail at
 * once, transient ones are retried up to the route's limit, failed deliveries are retried
 * with the same message id.
 */
class TaskOutcomeTest extends StandaloneIntegrationTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	@Test
	void upstreamClientErrorFailsTheTaskWithoutRetryAndEmitsTaskFailed() {
		Tenant tenant = newTenant("outcome-4xx");
		String hookPath = "/hooks/" + UUID.randomUUID();
		String secret = (String) this.client
			.registerEndpoint(tenant.token(), receiver.baseUrl() + hookPath, List.of("task.failed"))
			.get("secret");

		String taskId = submit(tenant, "/api/reports/status/400");

		Map<String, Object> task = awaitFinal(tenant, taskId);
		assertThat(task).containsEntry("status", "FAILED").containsEntry("attempts", 1);
		assertThat(task.get("error"))
			.isEqualTo(Map.of("code", "upstream_rejected", "message", "The upstream answered 400."));
		assertThat(task.get("result")).asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
			.containsEntry("statusCode", 400);
		assertThat(upstream.requests().stream().filter((r) -> taskId.equals(r.header("Hookway-Task-Id")))).hasSize(1);

		Request webhook = await().atMost(Duration.ofSeconds(10))
			.until(() -> first(receiver.requests(), (r) -> hookPath.equals(r.path())), (r) -> r != null);
		assertThatNoException().isThrownBy(() -> new Webhook(secret).verify(webhook.bodyAsString(), webhook.headers()));
		assertThat(webhook.bodyAsString()).contains("\"type\":\"task.failed\"").contains("upstream_rejected");
	}

	@Test
	void upstreamServerErrorIsRetriedUpToMaxAttemptsThenFails() {
		Tenant tenant = newTenant("outcome-5xx");
		String taskId = submit(tenant, "/api/reports/status/503");

		Map<String, Object> task = awaitFinal(tenant, taskId);
		assertThat(task).containsEntry("status", "FAILED").containsEntry("attempts", 3);
		assertThat(task.get("error")).asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
			.containsEntry("code", "upstream_unavailable");
		assertThat(upstream.requests().stream().filter((r) -> taskId.equals(r.header("Hookway-Task-Id")))).hasSize(3);
	}

	@Test
	void endpointNotSubscribedToTheEventGetsNothing() {
		Tenant tenant = newTenant("outcome-unsubscribed");
		String hookPath = "/hooks/" + UUID.randomUUID();
		this.client.registerEndpoint(tenant.token(), receiver.baseUrl() + hookPath, List.of("task.failed"));

		String taskId = submit(tenant, "/api/reports/monthly");

		assertThat(awaitFinal(tenant, taskId)).containsEntry("status", "SUCCEEDED");
		UUID task = IdKind.TASK.parse(taskId).orElseThrow();
		assertThat(ROWS.count("select count(*) from webhook_messages where task_id = ?", task)).isEqualTo(1);
		assertThat(ROWS.count("select count(*) from webhook_deliveries d join webhook_messages m "
				+ "on m.id = d.message_id where m.task_id = ?", task))
			.isZero();
	}

	@Test
	void failedDeliveryIsRetriedWithTheSameMessageIdAndRecorded() {
		Tenant tenant = newTenant("outcome-flaky-receiver");
		String hookPath = "/flaky/" + UUID.randomUUID();
		String secret = (String) this.client
			.registerEndpoint(tenant.token(), receiver.baseUrl() + hookPath, List.of("task.succeeded"))
			.get("secret");

		submit(tenant, "/api/reports/monthly");

		List<Request> deliveries = await().atMost(Duration.ofSeconds(15))
			.until(() -> receiver.requests().stream().filter((r) -> hookPath.equals(r.path())).toList(),
					(list) -> list.size() == 2);
		assertThat(deliveries.get(1).header("webhook-id")).isEqualTo(deliveries.get(0).header("webhook-id"));
		assertThat(deliveries.get(1).bodyAsString()).isEqualTo(deliveries.get(0).bodyAsString());
		for (Request delivery : deliveries) {
			assertThatNoException()
				.isThrownBy(() -> new Webhook(secret).verify(delivery.bodyAsString(), delivery.headers()));
		}
		UUID messageId = IdKind.MESSAGE.parse(deliveries.get(0).header("webhook-id")).orElseThrow();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> ROWS.count("select count(*) from webhook_deliveries where message_id = ? "
					+ "and status = 'SUCCEEDED' and attempt_count = 2", messageId) == 1);
		assertThat(ROWS.count("select count(*) from delivery_attempts a join webhook_deliveries d "
				+ "on d.id = a.delivery_id where d.message_id = ? and a.status_code = 500", messageId))
			.isEqualTo(1);
	}

	@Test
	void upstreamThatAnswered202ReportsTheResultLaterAndTheTaskCompletesWithIt() {
		Tenant tenant = newTenant("outcome-async");
		String hookPath = "/hooks/" + UUID.randomUUID();
		String secret = (String) this.client
			.registerEndpoint(tenant.token(), receiver.baseUrl() + hookPath, List.of("task.succeeded"))
			.get("secret");
		Map<String, Object> service = this.client.createApplication(operatorToken(),
				Map.of("name", "reports-service", "scopes", List.of("tasks:complete")));
		String serviceToken = this.client.token((String) service.get("clientId"), (String) service.get("clientSecret"));

		String taskId = submit(tenant, "/api/reports/status/202");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ROWS.count("select count(*) from tasks where id = ? and completion_deadline is not null",
					IdKind.TASK.parse(taskId).orElseThrow()) == 1);
		assertThat(this.client.task(tenant.token(), taskId)).containsEntry("status", "RUNNING");

		String completionToken = first(upstream.requests(), (r) -> taskId.equals(r.header("Hookway-Task-Id")))
			.header("Hookway-Completion-Token");
		assertThat(completionToken).isNotBlank();
		// the tenant itself may not report results
		report(tenant.token(), taskId, completionToken).expectStatus().isForbidden();
		report(serviceToken, taskId, completionToken).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.taskId")
			.isEqualTo(taskId);

		Map<String, Object> task = awaitFinal(tenant, taskId);
		assertThat(task).containsEntry("status", "SUCCEEDED");
		assertThat(task.get("result")).isEqualTo(Map.of("statusCode", 200, "headers",
				Map.of("content-type", "application/json"), "body", Map.of("rows", 12)));
		Request webhook = await().atMost(Duration.ofSeconds(10))
			.until(() -> first(receiver.requests(), (r) -> hookPath.equals(r.path())), (r) -> r != null);
		assertThatNoException().isThrownBy(() -> new Webhook(secret).verify(webhook.bodyAsString(), webhook.headers()));
		assertThat(webhook.bodyAsString()).contains("\"rows\":12");
		// the task is final: nothing more to report, and nothing said about it
		report(serviceToken, taskId, completionToken).expectStatus().isNotFound();
	}

	private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec report(String token, String taskId,
			String completionToken) {
		return this.client.http().post().uri("/internal/v1/tasks/{id}/result", taskId).headers((headers) -> {
			headers.setBearerAuth(token);
			headers.set("Hookway-Completion-Token", completionToken);
		})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("statusCode", 200, "body", Map.of("rows", 12)))
			.exchange();
	}

	@Test
	void resultReportThatOvertakesTheUpstreams202CompletesTheTaskAtOnce() {
		Tenant tenant = newTenant("outcome-report-first");
		Map<String, Object> service = this.client.createApplication(operatorToken(),
				Map.of("name", "quick-service", "scopes", List.of("tasks:complete")));
		reportTo = "http://127.0.0.1:" + this.port;
		reportToken = this.client.token((String) service.get("clientId"), (String) service.get("clientSecret"));
		String taskId = submit(tenant, "/api/reports/report-first");
		Map<String, Object> task = awaitFinal(tenant, taskId);
		assertThat(task).containsEntry("status", "SUCCEEDED");
		assertThat(task.get("result")).asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
			.containsEntry("statusCode", 201)
			.containsEntry("body", "made");
	}

	@Test
	void anotherApplicationsTaskIsNotFound() {
		Tenant owner = newTenant("isolation-owner");
		Tenant stranger = newTenant("isolation-stranger");
		String taskId = submit(owner, "/api/reports/monthly");

		this.client.http()
			.get()
			.uri("/v1/tasks/{id}", taskId)
			.headers((headers) -> headers.setBearerAuth(stranger.token()))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.http()
			.get()
			.uri("/v1/tasks/{id}", IdKind.TASK.format(UUID.randomUUID()))
			.headers((headers) -> headers.setBearerAuth(stranger.token()))
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void repeatedIdempotencyKeyReturnsTheFirstTaskAndADifferentRequestIsRejected() {
		Tenant tenant = newTenant("idempotency");
		String key = "order-" + UUID.randomUUID();
		String first = submitWithKey(tenant, key, "{\"amount\":10}").expectStatus()
			.isAccepted()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("taskId")
			.toString();
		String replay = submitWithKey(tenant, key, "{\"amount\":10}").expectStatus()
			.isAccepted()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("taskId")
			.toString();
		assertThat(replay).isEqualTo(first);
		submitWithKey(tenant, key, "{\"amount\":11}").expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(ROWS.count("select count(*) from tasks where idempotency_key = ?", key)).isEqualTo(1);
	}

	private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec submitWithKey(Tenant tenant,
			String key, String body) {
		return this.client.http().post().uri("/api/orders/checkout").headers((headers) -> {
			headers.setBearerAuth(tenant.token());
			headers.set("Idempotency-Key", key);
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	private String submit(Tenant tenant, String path) {
		return this.client.http()
			.post()
			.uri(path)
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("taskId")
			.toString();
	}

	private Map<String, Object> awaitFinal(Tenant tenant, String taskId) {
		return await().atMost(Duration.ofSeconds(15))
			.until(() -> this.client.task(tenant.token(), taskId),
					(task) -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(task.get("status")));
	}

}
