package io.hookway.standalone;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.TestRows;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a clear 4xx problem+json and changes nothing in the database.
 */
class BadInputTest extends StandaloneIntegrationTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String TABLE_SIZES = "select (select count(*) from tasks) + (select count(*) from applications)"
			+ " + (select count(*) from webhook_endpoints) + (select count(*) from webhook_messages)";

	@Test
	void callWithoutTokenIsUnauthorizedWithBearerChallengeAndStoresNothing() {
		long before = ROWS.count(TABLE_SIZES);
		this.client.http()
			.post()
			.uri("/api/orders/1")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(401)
			.jsonPath("$.title")
			.isEqualTo("Unauthorized")
			.jsonPath("$.instance")
			.isEqualTo("/api/orders/1")
			.jsonPath("$.detail")
			.isNotEmpty();
		assertThat(ROWS.count(TABLE_SIZES)).isEqualTo(before);
	}

	@Test
	void refusalsAreCountedByCode() {
		this.client.http().post().uri("/api/orders/1").bodyValue("{}").exchange().expectStatus().isUnauthorized();
		this.client.http().get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
		this.client.http().get().uri("/actuator/health").exchange().expectStatus().isNotFound();
		org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics)
				.contains("hookway_refusals_total{code=\"missing_token\",status=\"401\"}"));
	}

	@Test
	void callWithForgedTokenIsUnauthorizedAndStoresNothing() {
		String forged = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZvcmdlZCJ9.eyJzdWIiOiJtYWxsb3J5IiwiYXBwX2lkIjoieCJ9.c2lnbmF0dXJl";
		long before = ROWS.count(TABLE_SIZES);
		this.client.http()
			.post()
			.uri("/api/orders/1")
			.headers((headers) -> headers.setBearerAuth(forged))
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(ROWS.count(TABLE_SIZES)).isEqualTo(before);
	}

	@Test
	void unknownRouteIsNotFoundAndStoresNothing() {
		String token = applicationToken();
		long before = ROWS.count(TABLE_SIZES);
		this.client.http()
			.post()
			.uri("/api/no-such-route/1")
			.headers((headers) -> headers.setBearerAuth(token))
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("no-such-route"));
		assertThat(ROWS.count(TABLE_SIZES)).isEqualTo(before);
	}

	@Test
	void methodTheRouteDoesNotAcceptIsMethodNotAllowed() {
		String token = applicationToken();
		long before = ROWS.count(TABLE_SIZES);
		this.client.http()
			.put()
			.uri("/api/orders/1")
			.headers((headers) -> headers.setBearerAuth(token))
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.valueEquals(HttpHeaders.ALLOW, "POST")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(ROWS.count(TABLE_SIZES)).isEqualTo(before);
	}

	@Test
	void malformedJsonOnThePortalIsBadRequestAndStoresNothing() {
		String operator = operatorToken();
		long before = ROWS.count(TABLE_SIZES);
		this.client.http()
			.post()
			.uri("/v1/applications")
			.headers((headers) -> headers.setBearerAuth(operator))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"acme\",")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.code")
			.isEqualTo("malformed_json")
			.jsonPath("$.instance")
			.isEqualTo("/v1/applications");
		assertThat(ROWS.count(TABLE_SIZES)).isEqualTo(before);
	}

	@Test
	void ruleBreakingEndpointIsUnprocessableNamingTheFieldsAndStoresNothing() {
		String token = applicationToken();
		long before = ROWS.count(TABLE_SIZES);
		this.client.http()
			.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "http://127.0.0.1/hook", "eventTypes", List.of("task.exploded")))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("eventTypes[0]");
		assertThat(ROWS.count(TABLE_SIZES)).isEqualTo(before);
	}

	@Test
	void applicationTokenCannotManageApplications() {
		String token = applicationToken();
		this.client.http()
			.get()
			.uri("/v1/applications")
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("insufficient_scope");
	}

	@Test
	void tokenRequestWithWrongSecretIsInvalidClient() {
		this.client.http()
			.post()
			.uri("/oauth2/token")
			.headers((headers) -> headers.setBasicAuth(OPERATOR_ID, "wrong"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=client_credentials")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
	}

	@Test
	void tokenRequestWithAControlCharacterInTheScopeIsInvalidRequestAndIssuesNothing() {
		this.client.http()
			.post()
			.uri("/oauth2/token")
			.headers((headers) -> headers.setBasicAuth(OPERATOR_ID, OPERATOR_SECRET))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=client_credentials&scope=applications:manage%00")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request")
			.jsonPath("$.access_token")
			.doesNotExist();
	}

	@Test
	void discoveryIgnoresAForgedHostHeader() {
		this.client.http()
			.get()
			.uri("/.well-known/openid-configuration")
			.header(HttpHeaders.HOST, "evil.example")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.token_endpoint")
			.isEqualTo("http://localhost:8080/oauth2/token")
			.jsonPath("$.jwks_uri")
			.isEqualTo("http://localhost:8080/oauth2/jwks");
	}

	private String applicationToken() {
		return newTenant("bad-input").token();
	}

}
