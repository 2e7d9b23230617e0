package io.hookway.standalone;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.TestRows;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-attempt completion token end to end: every attempt reaches the upstream with a
 * token of its own, only the token of the attempt that answered 202 completes the task,
 * and a report sent during an attempt that did not answer 202 is never used.
 */
class CompletionTokenTest extends StandaloneIntegrationTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	@Test
	void onlyTheTokenOfTheAttemptThatAnswered202CompletesTheTask() {
		Tenant tenant = newTenant("token-per-attempt");
		String service = serviceToken("token-per-attempt-service");
		String taskId = submit(tenant, "/api/reports/fail-then-202");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ROWS.count("select count(*) from tasks where id = ? and completion_deadline is not null",
					IdKind.TASK.parse(taskId).orElseThrow()) == 1);

		List<String> tokens = upstream.requests()
			.stream()
			.filter((r) -> taskId.equals(r.header("Hookway-Task-Id")))
			.map((r) -> r.header("Hookway-Completion-Token"))
			.toList();
		assertThat(tokens).hasSize(2).doesNotContainNull().doesNotHaveDuplicates();
		assertThat(tokens).allSatisfy((token) -> assertThat(token).matches("[A-Za-z0-9_-]{43}"));
		assertThat(ROWS.single("select completion_token_hash::text from tasks where id = ?",
				IdKind.TASK.parse(taskId).orElseThrow()))
			.as("only a hash is stored")
			.asString()
			.doesNotContain(tokens.get(1));

		// the first attempt answered 503: its token is refused as if the task did not
		// exist
		report(service, taskId, tokens.get(0)).expectStatus().isNotFound();
		report(service, taskId, null).expectStatus().isNotFound();
		assertThat(this.client.task(tenant.token(), taskId)).containsEntry("status", "RUNNING");

		report(service, taskId, tokens.get(1)).expectStatus().isAccepted();
		Map<String, Object> task = awaitFinal(tenant, taskId);
		assertThat(task).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 2);
		assertThat(task.get("result")).asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
			.containsEntry("statusCode", 201)
			.containsEntry("body", "reported");
	}

	@Test
	void reportSentDuringAnAttemptThatDidNotAnswer202IsNotUsed() {
		Tenant tenant = newTenant("token-report-then-503");
		reportTo = "http://127.0.0.1:" + this.port;
		reportToken = serviceToken("token-report-then-503-service");
		String service = reportToken;
		String taskId = submit(tenant, "/api/reports/report-then-503");
		Object id = IdKind.TASK.parse(taskId).orElseThrow();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ROWS.count("select count(*) from tasks where id = ? and completion_deadline is not null",
					id) == 1);

		// the first attempt reported, then answered 503; the second answered 202 and has
		// not reported: the first attempt's report must not complete the task
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.client.task(tenant.token(), taskId).get("status"), "RUNNING"::equals);
		assertThat(this.client.task(tenant.token(), taskId).get("result")).isNull();

		List<String> tokens = upstream.requests()
			.stream()
			.filter((r) -> taskId.equals(r.header("Hookway-Task-Id")))
			.map((r) -> r.header("Hookway-Completion-Token"))
			.toList();
		assertThat(tokens).hasSize(2);
		report(service, taskId, tokens.get(0)).expectStatus().isNotFound();
		report(service, taskId, tokens.get(1)).expectStatus().isAccepted();
		Map<String, Object> task = awaitFinal(tenant, taskId);
		assertThat(task).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 2);
		assertThat(task.get("result")).asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
			.containsEntry("statusCode", 201)
			.containsEntry("body", "reported");
	}

	@Test
	void tokenSentByTheClientNeverReachesTheUpstream() {
		Tenant tenant = newTenant("token-forged-by-client");
		String taskId = this.client.http().post().uri("/api/reports/forged").headers((headers) -> {
			headers.setBearerAuth(tenant.token());
			headers.set("Hookway-Completion-Token", "chosen-by-the-client");
			headers.set("Hookway-Task-Id", "tsk_forged");
		})
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
		awaitFinal(tenant, taskId);
		Request forwarded = first(upstream.requests(), (r) -> taskId.equals(r.header("Hookway-Task-Id")));
		assertThat(forwarded.headers().get("hookway-completion-token")).hasSize(1)
			.doesNotContain("chosen-by-the-client");
		assertThat(forwarded.headers().get("hookway-task-id")).containsExactly(taskId);
	}

	private String serviceToken(String name) {
		Map<String, Object> service = this.client.createApplication(operatorToken(),
				Map.of("name", name, "scopes", List.of("tasks:complete")));
		return this.client.token((String) service.get("clientId"), (String) service.get("clientSecret"));
	}

	private WebTestClient.ResponseSpec report(String token, String taskId, String completionToken) {
		return this.client.http().post().uri("/internal/v1/tasks/{id}/result", taskId).headers((headers) -> {
			headers.setBearerAuth(token);
			if (completionToken != null) {
				headers.set("Hookway-Completion-Token", completionToken);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"statusCode\":201,\"body\":\"reported\"}").exchange();
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
