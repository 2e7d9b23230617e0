package io.hookway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sets the benchmark's tenants up through the portal's public API, as partners would:
 * applications, their tokens, and webhook endpoints at the local receiver.
 */
final class PortalClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String baseUrl;

	PortalClient(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/** The operator's bearer token. */
	String operatorToken(String operatorId, String operatorSecret) throws IOException, InterruptedException {
		return token(operatorId, operatorSecret);
	}

	/** Creates an application with the default scopes and returns its bearer token. */
	String application(String operatorToken, String name) throws IOException, InterruptedException {
		return client(operatorToken, name, "{\"name\":\"" + name + "\"}").token();
	}

	/** Creates an application with the scopes and returns its id and bearer token. */
	Client application(String operatorToken, String name, String... scopes) throws IOException, InterruptedException {
		String granted = String.join("\",\"", scopes);
		return client(operatorToken, name, "{\"name\":\"" + name + "\",\"scopes\":[\"" + granted + "\"]}");
	}

	/** Adds an event type without a schema to the catalog. */
	void eventType(String operatorToken, String name) throws IOException, InterruptedException {
		post("/v1/event-types", operatorToken, "{\"name\":\"" + name + "\",\"description\":\"benchmark\"}");
	}

	/** Registers a webhook endpoint of the application for task events. */
	void endpoint(String applicationToken, String webhookUrl) throws IOException, InterruptedException {
		endpoint(applicationToken, webhookUrl, "task.succeeded", "task.failed");
	}

	/** Registers a webhook endpoint of the application for the event types. */
	void endpoint(String applicationToken, String webhookUrl, String... eventTypes)
			throws IOException, InterruptedException {
		post("/v1/webhook-endpoints", applicationToken,
				"{\"url\":\"" + webhookUrl + "\",\"eventTypes\":[\"" + String.join("\",\"", eventTypes) + "\"]}");
	}

	/** An application's id ({@code app_…}) and a bearer token of its client. */
	record Client(String id, String token) {
	}

	private Client client(String operatorToken, String name, String body) throws IOException, InterruptedException {
		JsonNode application = post("/v1/applications", operatorToken, body);
		return new Client(application.get("id").asString(),
				token(application.get("clientId").asString(), application.get("clientSecret").asString()));
	}

	private String token(String clientId, String clientSecret) throws IOException, InterruptedException {
		String basic = Base64.getEncoder()
			.encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build();
		return send(request).get("access_token").asString();
	}

	private JsonNode post(String path, String token, String body) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return send(request);
	}

	/**
	 * Sends the request; a 429 or 503 (the portal's secret-hashing pool is small and
	 * bounded) is sent again after its {@code Retry-After}, a few times.
	 */
	private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		for (int retry = 0; retry < 5 && (response.statusCode() == 429 || response.statusCode() == 503); retry++) {
			long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
			Thread.sleep(Math.max(1, Math.min(seconds, 10)) * 1000);
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(
					request.uri() + " answered " + response.statusCode() + ": " + response.body());
		}
		return JSON.readTree(response.body());
	}

}
