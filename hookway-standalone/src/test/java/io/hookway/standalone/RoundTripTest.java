package io.hookway.standalone;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.TestRows;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * The whole round trip through the public API only, against real PostgreSQL, a real
 * upstream and a real webhook receiver on loopback; the received signature is checked
 * with the Standard Webhooks reference library, not with Hookway's own signer.
 */
class RoundTripTest extends StandaloneIntegrationTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	@Test
	void callIsAcceptedRunAgainstTheUpstreamAndDeliveredAsSignedWebhook() throws Exception {
		PlatformClient client = this.client;
		String operatorToken = operatorToken();
		Map<String, Object> application = client.createApplication(operatorToken, "acme-shop");
		assertThat((String) application.get("id")).startsWith("app_");
		String token = client.token((String) application.get("clientId"), (String) application.get("clientSecret"));
		String hookPath = "/hooks/" + UUID.randomUUID();
		Map<String, Object> endpoint = client.registerEndpoint(token, receiver.baseUrl() + hookPath,
				List.of("task.succeeded", "task.failed"));
		String secret = (String) endpoint.get("secret");
		assertThat(secret).startsWith("whsec_");

		EntityExchangeResult<Map<String, Object>> accepted = client.http()
			.post()
			.uri("/api/reports/monthly/2026-10?format=pdf&lang=en")
			.headers((headers) -> {
				headers.setBearerAuth(token);
				headers.set("X-Request-Source", "round-trip-test");
				headers.set("traceparent", "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01");
				headers.set("Cookie", "session=must-not-travel");
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"month\":\"2026-10\"}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.exists("Retry-After")
			.expectBody(PlatformClient.JSON)
			.returnResult();
		Map<String, Object> task = accepted.getResponseBody();
		String taskId = (String) task.get("taskId");
		assertThat(task).containsEntry("status", "ACCEPTED").containsEntry("route", "reports");
		assertThat(accepted.getResponseHeaders().getLocation()).hasToString("/v1/tasks/" + taskId);
		// the 202 left only after the commit: another connection sees the row already
		assertThat(ROWS.count("select count(*) from tasks where id = ?", IdKind.TASK.parse(taskId).orElseThrow()))
			.isEqualTo(1);

		Request call = await().atMost(Duration.ofSeconds(20))
			.until(() -> first(upstream.requests(), (r) -> taskId.equals(r.header("Hookway-Task-Id"))),
					(r) -> r != null);
		assertThat(call.method()).isEqualTo("POST");
		assertThat(call.path()).isEqualTo("/internal/reports/monthly/2026-10");
		assertThat(call.query()).isEqualTo("format=pdf&lang=en");
		assertThat(call.bodyAsString()).isEqualTo("{\"month\":\"2026-10\"}");
		assertThat(call.header("Hookway-Task-Id")).isEqualTo(taskId);
		assertThat(call.header("Hookway-Application-Id")).isEqualTo(application.get("id"));
		// one trace from the client through the upstream call to the webhook, each hop a
		// span of its own
		assertThat(call.header("traceparent")).matches("00-" + CLIENT_TRACE + "-[0-9a-f]{16}-[0-9a-f]{2}")
			.doesNotContain("00f067aa0ba902b7");
		assertThat(call.header("X-Request-Source")).isEqualTo("round-trip-test");
		assertThat(call.header("Authorization")).isNull();
		assertThat(call.header("Cookie")).isNull();

		Request webhook = await().atMost(Duration.ofSeconds(20))
			.until(() -> first(receiver.requests(), (r) -> hookPath.equals(r.path())), (r) -> r != null);
		assertThat(webhook.method()).isEqualTo("POST");
		assertThat(webhook.header("content-type")).startsWith("application/json");
		assertThat(webhook.header("webhook-id")).startsWith("msg_");
		assertThat(webhook.header("traceparent")).matches("00-" + CLIENT_TRACE + "-[0-9a-f]{16}-[0-9a-f]{2}");
		assertThatNoException().isThrownBy(() -> new Webhook(secret).verify(webhook.bodyAsString(), webhook.headers()));
		assertThat(webhook.bodyAsString()).contains("\"type\":\"task.succeeded\"")
			.contains("\"taskId\":\"" + taskId + "\"")
			.contains("\"report\":\"ready\"");

		Map<String, Object> finished = await().atMost(Duration.ofSeconds(10))
			.until(() -> client.task(token, taskId), (t) -> "SUCCEEDED".equals(t.get("status")));
		assertThat(finished).containsEntry("attempts", 1).containsEntry("method", "POST");
		assertThat(finished.get("path")).isEqualTo("/monthly/2026-10");
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) finished.get("result");
		assertThat(result).containsEntry("statusCode", 200);
		assertThat(result.get("body")).isEqualTo(Map.of("report", "ready", "pages", 3));
		assertThat(finished.get("completedAt")).isNotNull();
		// one delivery to the one subscribed endpoint, its attempt recorded once the
		// receiver answered
		UUID endpointId = IdKind.ENDPOINT.parse((String) endpoint.get("id")).orElseThrow();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> ROWS.count(
					"select count(*) from webhook_deliveries where endpoint_id = ? " + "and status = 'SUCCEEDED'",
					endpointId) == 1);
		assertThat(ROWS.count("select count(*) from delivery_attempts a join webhook_deliveries d "
				+ "on d.id = a.delivery_id where d.endpoint_id = ? and a.status_code = 204", endpointId))
			.isEqualTo(1);

		// what happened is visible to the operator as metrics
		String metrics = org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).contains("hookway_calls_accepted_total{replayed=\"false\",route=\"reports\"}")
			.contains("hookway_task_attempts_total{outcome=\"succeeded\",route=\"reports\"}")
			.contains("hookway_webhook_attempts_total{outcome=\"succeeded\"}")
			.contains("hookway_queue_ready{queue=\"tasks\"}")
			.contains("hookway_queue_oldest_age{queue=\"deliveries\"}")
			.contains("hookway_tasks{state=\"accepted\"}")
			.contains("hookway_route_breaker_state{route=\"reports\",state=\"closed\"} 1.0")
			.contains("hookway_endpoint_breakers{state=\"closed\"}")
			.containsPattern(
					"hookway_upstream_seconds_bucket\\{error=\"none\",outcome=\"2xx\",route=\"reports\",le=\"[0-9.]+\"}")
			.containsPattern("hookway_webhook_seconds_bucket\\{error=\"none\",outcome=\"2xx\",le=\"[0-9.]+\"}")
			.doesNotContain("hookway_upstream_active")
			.containsPattern("http_client_requests_seconds_count\\{client_name=\"webhooks\",[^}]*status=\"204\"");
	}

	@Test
	void tracesAreNotExportedUnlessAnEndpointIsConfigured(
			@org.springframework.beans.factory.annotation.Autowired org.springframework.context.ApplicationContext context) {
		assertThat(context.getBeansOfType(io.opentelemetry.sdk.trace.export.SpanExporter.class)).isEmpty();
	}

}
