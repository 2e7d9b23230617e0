package io.hookway.standalone;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;

import io.hookway.core.test.LoopbackReceivers;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running platform shared by the end-to-end tests: real PostgreSQL, an upstream and a
 * webhook receiver on loopback, fast polling and a short retry schedule. Tests isolate
 * themselves by creating their own applications.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class StandaloneIntegrationTest {

	private static final Pattern STATUS_PATH = Pattern.compile("/status/(\\d{3})$");

	static final String OPERATOR_ID = "test-operator";

	static final String OPERATOR_SECRET = "test-operator-secret-0123456789";

	/**
	 * Answers {@code …/status/NNN} with that status, {@code …/fail-then-202} with 503
	 * then 202, {@code …/report-then-503} by reporting, then answering 503, then 202
	 * without a report; anything else with a 200 report.
	 */
	static final RecordingHttpServer upstream = RecordingHttpServer.start();

	/**
	 * Fails the first delivery to a {@code /flaky/…} path with a 500, accepts everything
	 * else.
	 */
	static final RecordingHttpServer receiver = RecordingHttpServer.start();

	static {
		upstream.respondWith((request) -> {
			boolean firstAttempt = upstream.requests()
				.stream()
				.filter((r) -> r.header("Hookway-Task-Id").equals(request.header("Hookway-Task-Id")))
				.count() == 1;
			if (request.path().endsWith("/fail-then-202")) {
				return Response.empty(firstAttempt ? 503 : 202);
			}
			if (request.path().endsWith("/report-then-503")) {
				if (!firstAttempt) {
					return Response.empty(202);
				}
				reportBeforeAnswering(request.header("Hookway-Task-Id"), request.header("Hookway-Completion-Token"));
				return Response.empty(503);
			}
			if (request.path().endsWith("/report-first")) {
				reportBeforeAnswering(request.header("Hookway-Task-Id"), request.header("Hookway-Completion-Token"));
				return Response.empty(202);
			}
			Matcher status = STATUS_PATH.matcher(request.path());
			return status.find()
					? Response.json(Integer.parseInt(status.group(1)), "{\"status\":" + status.group(1) + "}")
					: Response.json(200, "{\"report\":\"ready\",\"pages\":3}");
		});
		receiver.respondWith((request) -> {
			boolean firstToFlaky = request.path().startsWith("/flaky/")
					&& receiver.requests().stream().filter((r) -> r.path().equals(request.path())).count() == 1;
			return Response.empty(firstToFlaky ? 500 : 204);
		});
	}

	/**
	 * Where and as whom the upstream reports results in {@link #reportBeforeAnswering}.
	 */
	static volatile String reportTo;

	static volatile String reportToken;

	@LocalServerPort
	int port;

	/** Actuator's own port: the standalone default splits it off the public one. */
	@LocalManagementPort
	int managementPort;

	PlatformClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> OPERATOR_ID);
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		registry.add("hookway.dispatcher.poll-interval", () -> "100ms");
		LoopbackReceivers.allow(registry);
		registry.add("hookway.webhooks.retry-schedule", () -> "100ms,200ms,400ms");
		registry.add("hookway.routes.reports.upstream", () -> upstream.baseUrl() + "/internal/reports");
		registry.add("hookway.routes.reports.max-attempts", () -> "3");
		registry.add("hookway.routes.reports.backoff", () -> "50ms");
		registry.add("hookway.routes.orders.upstream", () -> upstream.baseUrl() + "/internal/orders");
		registry.add("hookway.routes.orders.methods", () -> "POST");
		registry.add("hookway.routes.lookups.upstream", () -> upstream.baseUrl() + "/internal/lookups");
		registry.add("hookway.routes.lookups.methods", () -> "GET,POST,PUT,PATCH,DELETE");
	}

	@BeforeEach
	void connect() {
		this.client = new PlatformClient(this.port);
	}

	/** An upstream so quick that its result report overtakes its own 202. */
	private static void reportBeforeAnswering(String taskId, String completionToken) {
		try {
			java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest
					.newBuilder(java.net.URI.create(reportTo + "/internal/v1/tasks/" + taskId + "/result"))
					.header("Authorization", "Bearer " + reportToken)
					.header("Hookway-Completion-Token", completionToken)
					.header("Content-Type", "application/json")
					.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"statusCode\":201,\"body\":\"made\"}"))
					.build(), java.net.http.HttpResponse.BodyHandlers.discarding());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	String operatorToken() {
		return this.client.token(OPERATOR_ID, OPERATOR_SECRET);
	}

	/** A new application with the default scopes, and a token for it. */
	Tenant newTenant(String name) {
		Map<String, Object> application = this.client.createApplication(operatorToken(), name);
		String token = this.client.token((String) application.get("clientId"),
				(String) application.get("clientSecret"));
		return new Tenant((String) application.get("id"), token);
	}

	static Request first(List<Request> requests, Predicate<Request> condition) {
		return requests.stream().filter(condition).findFirst().orElse(null);
	}

	record Tenant(String applicationId, String token) {
	}

}
