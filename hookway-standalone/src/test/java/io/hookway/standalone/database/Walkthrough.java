package io.hookway.standalone.database;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The README's "A first call, step by step", with curl as there. */
final class Walkthrough {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final StandaloneProcess process;

	private final String base;

	String clientId;

	String clientSecret;

	String token;

	Walkthrough(StandaloneProcess process) {
		this.process = process;
		this.base = "http://127.0.0.1:" + process.port();
	}

	/** Returns the id of the task whose signed callback reached the demo inbox. */
	String run() throws Exception {
		String operator = token(this.process, "hookway-operator", "demo-operator-secret");
		Map<String, Object> application = object(this.process.curl("-H", "Authorization: Bearer " + operator, "-H",
				"Content-Type: application/json", "-d", "{\"name\":\"acme-shop\"}", this.base + "/v1/applications"));
		this.clientId = (String) application.get("clientId");
		this.clientSecret = (String) application.get("clientSecret");
		this.token = token(this.process, this.clientId, this.clientSecret);
		Map<String, Object> endpoint = object(this.process.curl("-H", "Authorization: Bearer " + this.token, "-H",
				"Content-Type: application/json", "-d",
				"{\"url\":\"http://localhost:" + this.process.port()
						+ "/demo/inbox\",\"eventTypes\":[\"task.succeeded\",\"task.failed\"]}",
				this.base + "/v1/webhook-endpoints"));
		assertThat((String) endpoint.get("secret")).startsWith("whsec_");
		String accepted = this.process.curl("-w", "\n%{http_code}", "-H", "Authorization: Bearer " + this.token, "-H",
				"Content-Type: application/json", "-d", "{\"month\":\"2026-10\"}",
				this.base + "/api/demo/reports/monthly?format=pdf");
		assertThat(accepted).endsWith("\n202");
		String taskId = (String) object(accepted.substring(0, accepted.lastIndexOf('\n'))).get("taskId");
		await().atMost(Duration.ofMinutes(1))
			.until(() -> EmbeddedDatabaseIT.task(this.process, this.token, taskId).get("status"), "SUCCEEDED"::equals);
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(this.process.curl(this.base + "/demo/inbox")).contains(taskId)
				.contains("\"signatureVerified\":true"));
		return taskId;
	}

	static String token(StandaloneProcess process, String clientId, String clientSecret) throws Exception {
		Map<String, Object> body = object(process.curl("-u", clientId + ":" + clientSecret, "-d",
				"grant_type=client_credentials", "http://127.0.0.1:" + process.port() + "/oauth2/token"));
		assertThat(body).containsKey("access_token");
		return (String) body.get("access_token");
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> object(String body) {
		return json.readValue(body.getBytes(StandardCharsets.UTF_8), Map.class);
	}

}
