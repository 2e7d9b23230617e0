package io.hookway.standalone;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's walk-through, step by step, on the demo profile: the demo route's upstream
 * answers from the same process and the demo inbox verifies the signed callback.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("demo")
class DemoWalkthroughTest {

	/**
	 * The demo route points at this process's own port, so the port must be known up
	 * front.
	 */
	static final int PORT = freePort();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("server.port", () -> PORT);
		registry.add("management.server.port", () -> "0");
	}

	@Test
	void readmeWalkthroughEndsWithAVerifiedCallbackInTheDemoInbox() {
		PlatformClient client = new PlatformClient(PORT);
		String operator = client.token("hookway-operator", "demo-operator-secret");
		Map<String, Object> application = client.createApplication(operator, "acme-shop");
		String token = client.token((String) application.get("clientId"), (String) application.get("clientSecret"));
		client.registerEndpoint(token, "http://localhost:" + PORT + "/demo/inbox",
				List.of("task.succeeded", "task.failed"));

		String taskId = client.http()
			.post()
			.uri("/api/demo/reports/monthly?format=pdf")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"month\":\"2026-10\"}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("taskId")
			.toString();

		Map<String, Object> task = await().atMost(Duration.ofSeconds(30))
			.until(() -> client.task(token, taskId), (t) -> "SUCCEEDED".equals(t.get("status")));
		@SuppressWarnings("unchecked")
		Map<String, Object> echo = (Map<String, Object>) ((Map<String, Object>) task.get("result")).get("body");
		assertThat(echo).containsEntry("path", "/reports/monthly")
			.containsEntry("query", "format=pdf")
			.containsEntry("taskId", taskId)
			.containsEntry("body", "{\"month\":\"2026-10\"}");

		Map<String, Object> inbox = await().atMost(Duration.ofSeconds(30))
			.until(() -> client.http()
				.get()
				.uri("/demo/inbox")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(PlatformClient.JSON)
				.returnResult()
				.getResponseBody(), (body) -> received(body, taskId) != null);
		assertThat(received(inbox, taskId)).containsEntry("signatureVerified", true);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> received(Map<String, Object> inbox, String taskId) {
		return ((List<Map<String, Object>>) inbox.get("data")).stream()
			.filter((message) -> taskId
				.equals(((Map<String, Object>) ((Map<String, Object>) message.get("event")).get("data")).get("taskId")))
			.findFirst()
			.orElse(null);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
