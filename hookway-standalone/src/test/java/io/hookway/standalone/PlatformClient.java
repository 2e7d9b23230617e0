package io.hookway.standalone;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the platform over HTTP the way a third-party developer would: tokens from the
 * embedded issuer, then the public API.
 */
final class PlatformClient {

	static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private final WebTestClient http;

	PlatformClient(int port) {
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			// the Prometheus page of a platform that has run the whole suite
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
			.build();
	}

	WebTestClient http() {
		return this.http;
	}

	String token(String clientId, String clientSecret) {
		Map<String, Object> body = this.http.post()
			.uri("/oauth2/token")
			.headers((headers) -> headers.setBasicAuth(clientId, clientSecret))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
		assertThat(body).containsEntry("token_type", "Bearer");
		return (String) body.get("access_token");
	}

	/**
	 * Creates an application as the operator and returns its {@code id}, clientId and
	 * clientSecret.
	 */
	Map<String, Object> createApplication(String operatorToken, String name) {
		return createApplication(operatorToken, Map.of("name", name));
	}

	Map<String, Object> createApplication(String operatorToken, Map<String, Object> request) {
		return this.http.post()
			.uri("/v1/applications")
			.headers((headers) -> headers.setBearerAuth(operatorToken))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	Map<String, Object> registerEndpoint(String applicationToken, String url, List<String> eventTypes) {
		return this.http.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(applicationToken))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", url, "eventTypes", eventTypes, "description", "test receiver"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	Map<String, Object> task(String applicationToken, String taskId) {
		return this.http.get()
			.uri("/v1/tasks/{id}", taskId)
			.headers((headers) -> headers.setBearerAuth(applicationToken))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

}
