package io.hookway.standalone;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the production log format (ECS JSON) and every Hookway log line on, a round trip
 * logs the ids an operator follows it by as fields of their own, and none of the secrets
 * that passed through: client secrets, webhook secrets, bearer tokens.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "logging.structured.format.console=ecs", "logging.level.io.hookway=debug" })
class StructuredLoggingTest extends StandaloneIntegrationTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	@Test
	void roundTripLogsItsIdsAsFieldsAndNoSecret(CapturedOutput output) {
		String operatorToken = operatorToken();
		Map<String, Object> application = this.client.createApplication(operatorToken, "log-watch");
		String clientSecret = (String) application.get("clientSecret");
		String token = this.client.token((String) application.get("clientId"), clientSecret);
		String hookPath = "/hooks/" + UUID.randomUUID();
		Map<String, Object> endpoint = this.client.registerEndpoint(token, receiver.baseUrl() + hookPath,
				List.of("task.succeeded"));
		String webhookSecret = (String) endpoint.get("secret");

		String taskId = (String) this.client.http()
			.post()
			.uri("/api/reports/logged")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"month\":\"2026-11\"}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("taskId");
		String endpointId = (String) endpoint.get("id");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> output.getOut().contains("\"endpointId\":\"" + endpointId + "\""));
		UUID messageId = UUID.fromString(
				ROWS.single("select m.id::text from webhook_messages m join tasks t on t.id = m.task_id where t.id = ?",
						IdKind.TASK.parse(taskId).orElseThrow()));
		String message = IdKind.MESSAGE.format(messageId);

		List<String> events = output.getOut().lines().filter((line) -> line.startsWith("{")).toList();
		assertThat(events).as("every line is an ECS event").isNotEmpty().allMatch((line) -> line.contains("\"ecs\""));
		assertThat(events).anyMatch((line) -> line.contains("\"taskId\":\"" + taskId + "\"")
				&& line.contains("\"route\":\"reports\"") && line.contains("Accepted task"));
		assertThat(events).anyMatch((line) -> line.contains("\"taskId\":\"" + taskId + "\"")
				&& line.contains("\"messageId\":\"" + message + "\"") && line.contains("succeeded"));
		assertThat(events).anyMatch((line) -> line.contains("\"messageId\":\"" + message + "\"")
				&& line.contains("\"endpointId\":\"" + endpointId + "\"") && line.contains("\"deliveryId\":\"dlv_"));

		String everything = output.getAll();
		assertThat(everything).doesNotContain(clientSecret, webhookSecret, webhookSecret.substring("whsec_".length()),
				token, operatorToken, OPERATOR_SECRET);
	}

}
