package io.hookway.clientit;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.hookway.client.ApiClient;
import io.hookway.client.api.ApplicationsApi;
import io.hookway.client.api.DeliveriesApi;
import io.hookway.client.api.RouteCallsApi;
import io.hookway.client.api.TasksApi;
import io.hookway.client.api.TokensApi;
import io.hookway.client.api.WebhookEndpointsApi;
import io.hookway.client.model.AcceptedTask;
import io.hookway.client.model.ApplicationView;
import io.hookway.client.model.CreateApplication;
import io.hookway.client.model.CreateEndpoint;
import io.hookway.client.model.Delivery;
import io.hookway.client.model.DeliveryRetry;
import io.hookway.client.model.EndpointView;
import io.hookway.client.model.Task;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's walk-through ("A first call, step by step") with nothing but the client
 * generated from {@code docs/openapi.yaml}, against the standalone jar started as a
 * process on real PostgreSQL, with an upstream and a webhook receiver on loopback.
 */
class ReadmeWalkthroughTest {

	private static final Path JAR = Path.of("..", "hookway-standalone", "target", "hookway-standalone.jar");

	private static final String OPERATOR_ID = "walkthrough-operator";

	private static final String OPERATOR_SECRET = "walkthrough-operator-secret-0123456789";

	@Test
	void readmeWalkthroughWithTheGeneratedClient() throws Exception {
		Assumptions.assumeTrue(Files.isRegularFile(JAR),
				"hookway-standalone.jar is not built (run verify): the generated client is not exercised");
		try (RecordingHttpServer upstream = RecordingHttpServer.start();
				RecordingHttpServer receiver = RecordingHttpServer.start()) {
			upstream.respondWith((request) -> Response.json(200, "{\"report\":\"ready\",\"pages\":3}"));
			receiver.respondWith((request) -> Response.empty(204));
			int port = freePort();
			Process platform = start(port, upstream.baseUrl() + "/internal/reports");
			try {
				walkThrough(port, receiver);
			}
			finally {
				platform.destroy();
				if (!platform.waitFor(30, TimeUnit.SECONDS)) {
					platform.destroyForcibly();
				}
			}
		}
	}

	private static void walkThrough(int port, RecordingHttpServer receiver) throws Exception {
		String baseUri = "http://127.0.0.1:" + port;
		// 1. the operator's token, and an application
		TokensApi tokens = new TokensApi(client(baseUri, null));
		String operator = tokens.issueToken("client_credentials", OPERATOR_ID, OPERATOR_SECRET, null).getAccessToken();
		ApplicationView application = new ApplicationsApi(client(baseUri, operator))
			.createApplication(new CreateApplication().name("acme-shop"));
		assertThat(application.getClientSecret()).isNotBlank();
		// 2. the application's token
		String token = tokens
			.issueToken("client_credentials", application.getClientId(), application.getClientSecret(), null)
			.getAccessToken();
		ApiClient asApplication = client(baseUri, token);
		// 3. a webhook endpoint
		EndpointView endpoint = new WebhookEndpointsApi(asApplication)
			.createEndpoint(new CreateEndpoint().url(receiver.baseUrl() + "/hooks")
				.eventTypes(List.of("task.succeeded", "task.failed")));
		assertThat(endpoint.getSecret()).startsWith("whsec_");
		// 4. a route call, accepted as a task
		AcceptedTask accepted = new RouteCallsApi(asApplication).callRouteWithPathPost("reports", "monthly", null,
				Map.of("month", "2026-10"));
		assertThat(accepted.getStatus()).isEqualTo(AcceptedTask.StatusEnum.ACCEPTED);
		// 5. poll the task until it has ended
		TasksApi tasks = new TasksApi(asApplication);
		Task task = await().atMost(Duration.ofSeconds(60))
			.until(() -> tasks.getTask(accepted.getTaskId()), (t) -> t.getStatus() == Task.StatusEnum.SUCCEEDED);
		assertThat(task.getResult().getStatusCode()).isEqualTo(200);
		// 6. the delivery log shows the webhook delivered
		DeliveriesApi deliveries = new DeliveriesApi(asApplication);
		Delivery delivery = await().atMost(Duration.ofSeconds(60))
			.until(() -> deliveries.listDeliveries(endpoint.getId(), "SUCCEEDED", null, null).getData(),
					(page) -> !page.isEmpty())
			.get(0);
		assertThat(delivery.getEventType()).isEqualTo("task.succeeded");
		assertThat(delivery.getAttempts()).isNotEmpty();
		// 7. a retry by hand delivers it again, with the same webhook-id
		DeliveryRetry retry = deliveries.retryDelivery(delivery.getId());
		assertThat(retry.getStatus()).isEqualTo(DeliveryRetry.StatusEnum.PENDING);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> receiver.requests()
				.stream()
				.filter((request) -> delivery.getMessageId().equals(request.header("webhook-id")))
				.count() >= 2);
	}

	private static ApiClient client(String baseUri, String token) {
		ApiClient client = new ApiClient();
		client.updateBaseUri(baseUri);
		if (token != null) {
			client.setRequestInterceptor((request) -> request.header("Authorization", "Bearer " + token));
		}
		return client;
	}

	private static Process start(int port, String upstream) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		File log = Files.createTempFile("hookway-walkthrough", ".log").toFile();
		Process process = new ProcessBuilder(java, "-jar", JAR.toString(), "--server.port=" + port,
				"--management.server.port=" + freePort(), "--hookway.database.url=" + TestDatabase.url(),
				"--hookway.secrets.allow-development-key=true", "--hookway.portal.operator.client-id=" + OPERATOR_ID,
				"--hookway.portal.operator.client-secret=" + OPERATOR_SECRET, "--hookway.webhooks.allow-http=true",
				"--hookway.webhooks.allow-private-targets=true", "--hookway.dispatcher.poll-interval=100ms",
				"--hookway.routes.reports.upstream=" + upstream)
			.redirectErrorStream(true)
			.redirectOutput(log)
			.start();
		HttpClient http = HttpClient.newHttpClient();
		await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
			if (!process.isAlive()) {
				throw new IllegalStateException("The standalone process ended; see " + log);
			}
			return http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/jwks")).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200;
		});
		return process;
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
