package io.hookway.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The developer portal as a partner and an operator use it: tokens from the embedded
 * issuer, applications, webhook endpoints.
 */
final class Portal {

	static final String OPERATOR_ID = "reliability-operator";

	static final String OPERATOR_SECRET = "reliability-operator-secret";

	/** Arguments that give a portal (or standalone) process the operator above. */
	static final List<String> OPERATOR_ARGUMENTS = List.of("--hookway.portal.operator.client-id=" + OPERATOR_ID,
			"--hookway.portal.operator.client-secret=" + OPERATOR_SECRET);

	static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	Portal(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	String token(String clientId, String clientSecret) {
		return token(clientId, clientSecret, null);
	}

	/** A token with only some of the client's scopes. */
	String token(String clientId, String clientSecret, String scope) {
		String basic = Base64.getEncoder()
			.encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(clientSecret, StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8));
		Map<String, Object> body = send(
				HttpRequest.newBuilder(URI.create(this.baseUrl + "/oauth2/token"))
					.header("Authorization", "Basic " + basic)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"
							+ ((scope != null) ? "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8) : ""))),
				200);
		return (String) body.get("access_token");
	}

	String operatorToken() {
		return token(OPERATOR_ID, OPERATOR_SECRET);
	}

	/** A new application and a token for it. */
	Tenant newTenant(String name) {
		Map<String, Object> application = post(operatorToken(), "/v1/applications", Map.of("name", name), 201);
		String token = token((String) application.get("clientId"), (String) application.get("clientSecret"));
		return new Tenant((String) application.get("id"), (String) application.get("clientId"),
				(String) application.get("clientSecret"), token);
	}

	Map<String, Object> registerEndpoint(Tenant tenant, String url, List<String> eventTypes) {
		return post(tenant.token(), "/v1/webhook-endpoints", Map.of("url", url, "eventTypes", eventTypes), 201);
	}

	Map<String, Object> post(String token, String path, Object body, int expectedStatus) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))), expectedStatus);
	}

	Map<String, Object> get(String token, String path) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Authorization", "Bearer " + token)
			.GET(), 200);
	}

	void delete(String token, String path) {
		send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Authorization", "Bearer " + token)
			.DELETE(), 204);
	}

	private static Map<String, Object> send(HttpRequest.Builder request, int expectedStatus) {
		try {
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != expectedStatus) {
				throw new IllegalStateException("Expected " + expectedStatus + " from " + response.uri() + ", got "
						+ response.statusCode() + ": " + response.body());
			}
			return response.body().isEmpty() ? Map.of()
					: json.readValue(response.body(), new TypeReference<Map<String, Object>>() {
					});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Tenant(String applicationId, String clientId, String clientSecret, String token) {
	}

}
