package io.hookway.core.test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the portal (or the whole platform) over HTTP the way a third-party developer
 * would: tokens from the embedded issuer, applications, webhook endpoints, tasks. Each
 * call checks the answer it needs; {@link #http()} is there for everything else.
 */
public final class PlatformClient {

	public static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private final WebTestClient http;

	private final WebClient web;

	public PlatformClient(int port) {
		this(port, (ClientHttpConnector) null);
	}

	/**
	 * Calls from the given local address: on loopback any 127.x.y.z, so that tests can
	 * play callers at different addresses. Connections are not pooled, so none made from
	 * one address is reused from another.
	 */
	public PlatformClient(int port, String localAddress) {
		this(port, new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())
			.bindAddress(() -> new InetSocketAddress(localAddress, 0))));
	}

	private PlatformClient(int port, @Nullable ClientHttpConnector connector) {
		String base = "http://127.0.0.1:" + port;
		WebTestClient.Builder http = (connector != null) ? WebTestClient.bindToServer(connector)
				: WebTestClient.bindToServer();
		this.http = http.baseUrl(base)
			.responseTimeout(Duration.ofSeconds(30))
			// the Prometheus page of a platform that has run the whole suite
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
			.build();
		WebClient.Builder web = WebClient.builder().baseUrl(base);
		this.web = ((connector != null) ? web.clientConnector(connector) : web).build();
	}

	public WebTestClient http() {
		return this.http;
	}

	/** For concurrent calls: answers are not checked, only collected. */
	public WebClient web() {
		return this.web;
	}

	public WebTestClient.ResponseSpec tokenRequest(String clientId, String clientSecret, String form) {
		return this.http.post()
			.uri("/oauth2/token")
			.headers((headers) -> headers.setBasicAuth(clientId, clientSecret))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue(form)
			.exchange();
	}

	public String token(String clientId, String clientSecret) {
		Map<String, Object> body = tokenRequest(clientId, clientSecret, "grant_type=client_credentials").expectStatus()
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
	public Map<String, Object> createApplication(String operatorToken, String name) {
		return createApplication(operatorToken, Map.of("name", name));
	}

	public Map<String, Object> createApplication(String operatorToken, Map<String, Object> request) {
		return created("/v1/applications", operatorToken, request);
	}

	/** A token for a new application with the default scopes. */
	public String applicationToken(String operatorToken, String name) {
		Map<String, Object> application = createApplication(operatorToken, name);
		return token((String) application.get("clientId"), (String) application.get("clientSecret"));
	}

	public Map<String, Object> registerEndpoint(String applicationToken, String url, List<String> eventTypes) {
		return created("/v1/webhook-endpoints", applicationToken,
				Map.of("url", url, "eventTypes", eventTypes, "description", "test receiver"));
	}

	private Map<String, Object> created(String uri, String token, Object body) {
		return this.http.post()
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	public Map<String, Object> task(String applicationToken, String taskId) {
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
