package io.hookway.portal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/** What the portal tests do over HTTP again and again: tokens and applications. */
final class PortalHttp {

	static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	final WebTestClient http;

	/** For concurrent calls: answers are not checked, only collected. */
	final WebClient web;

	PortalHttp(int port) {
		String base = "http://127.0.0.1:" + port;
		this.http = WebTestClient.bindToServer().baseUrl(base).responseTimeout(Duration.ofSeconds(30)).build();
		this.web = WebClient.builder().baseUrl(base).build();
	}

	/**
	 * Calls from the given local address: on loopback any 127.x.y.z, so that tests can
	 * play callers at different addresses. Connections are not pooled, so none made from
	 * one address is reused from another.
	 */
	PortalHttp(int port, String localAddress) {
		String base = "http://127.0.0.1:" + port;
		ReactorClientHttpConnector connector = new ReactorClientHttpConnector(
				HttpClient.create(ConnectionProvider.newConnection())
					.bindAddress(() -> new InetSocketAddress(localAddress, 0)));
		this.http = WebTestClient.bindToServer(connector).baseUrl(base).responseTimeout(Duration.ofSeconds(30)).build();
		this.web = WebClient.builder().clientConnector(connector).baseUrl(base).build();
	}

	WebTestClient.ResponseSpec tokenRequest(String clientId, String secret, String form) {
		return this.http.post()
			.uri("/oauth2/token")
			.headers((headers) -> headers.setBasicAuth(clientId, secret))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue(form)
			.exchange();
	}

	String token(String clientId, String secret) {
		return (String) tokenRequest(clientId, secret, "grant_type=client_credentials").expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody()
			.get("access_token");
	}

	/** A new application with the default scopes: its id, clientId and clientSecret. */
	Map<String, Object> createApplication(String operatorToken, String name) {
		return this.http.post()
			.uri("/v1/applications")
			.headers((headers) -> headers.setBearerAuth(operatorToken))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", name))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	/** A token for a new application with the default scopes. */
	String applicationToken(String operatorToken, String name) {
		Map<String, Object> application = createApplication(operatorToken, name);
		return token((String) application.get("clientId"), (String) application.get("clientSecret"));
	}

}
