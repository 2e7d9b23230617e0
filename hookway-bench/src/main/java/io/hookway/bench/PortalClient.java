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
 * Sets the benchmark's tenant up through the portal's public API, as a partner would: an
 * application, its token, and a webhook endpoint at the local receiver.
 */
final class PortalClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String baseUrl;

	PortalClient(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/**
	 * Creates an application with an endpoint at the URL and returns its bearer token.
	 */
	String tenantWithEndpoint(String operatorId, String operatorSecret, String webhookUrl)
			throws IOException, InterruptedException {
		String operator = token(operatorId, operatorSecret);
		JsonNode application = post("/v1/applications", operator, "{\"name\":\"bench\"}");
		String token = token(application.get("clientId").asString(), application.get("clientSecret").asString());
		post("/v1/webhook-endpoints", token,
				"{\"url\":\"" + webhookUrl + "\",\"eventTypes\":[\"task.succeeded\",\"task.failed\"]}");
		return token;
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

	private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(
					request.uri() + " answered " + response.statusCode() + ": " + response.body());
		}
		return JSON.readTree(response.body());
	}

}
