package io.hookway.portal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A portal body with a value of the wrong PlatformClient.JSON type, or a null inside a
 * list, is a 422 naming the field, and changes nothing: never a 500, never a silent
 * conversion.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PortalBodyTypesTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String OPERATOR_SECRET = "body-types-operator-secret-0123456789";

	private static final String ROW_COUNT = "select (select count(*) from applications)"
			+ " + (select count(*) from webhook_endpoints) + (select count(*) from event_types)";

	@LocalServerPort
	int port;

	PlatformClient portal;

	WebTestClient http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> "body-types-operator");
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		this.http = this.portal.http();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "/v1/applications | {\"name\":42} | name",
			"/v1/applications | {\"name\":true} | name", "/v1/applications | {\"name\":[\"x\"]} | name",
			"/v1/applications | {\"name\":\"x\",\"scopes\":[null]} | scopes[0]",
			"/v1/applications | {\"name\":\"x\",\"scopes\":[\"tasks:read\",null]} | scopes[1]",
			"/v1/applications | {\"name\":\"x\",\"scopes\":[1]} | scopes[0]",
			"/v1/webhook-endpoints | {\"url\":\"https://93.184.216.34/hook\",\"eventTypes\":[null]} | eventTypes[0]",
			"/v1/webhook-endpoints | {\"url\":\"https://93.184.216.34/hook\",\"eventTypes\":[7]} | eventTypes[0]",
			"/v1/webhook-endpoints | {\"url\":12,\"eventTypes\":[\"task.failed\"]} | url",
			"/v1/webhook-endpoints | {\"url\":\"https://93.184.216.34/hook\",\"eventTypes\":[\"task.failed\"],\"description\":5} | description",
			"/v1/webhook-endpoints | {\"url\":\"https://93.184.216.34/hook\",\"eventTypes\":[\"task.failed\"],\"headers\":{\"X-Key\":5}} | headers.X-Key",
			"/v1/webhook-endpoints | {\"url\":\"https://93.184.216.34/hook\",\"eventTypes\":[\"task.failed\"],\"headers\":{\"X-Key\":null}} | headers.X-Key",
			"/v1/webhook-endpoints | {\"url\":\"https://93.184.216.34/hook\",\"eventTypes\":[\"task.failed\"],\"headers\":[\"X-Key\"]} | headers",
			"/v1/webhook-endpoints | {\"url\":\"https://93.184.216.34/hook\",\"eventTypes\":[\"task.failed\"],\"rateLimit\":\"5\"} | rateLimit",
			"/v1/webhook-endpoints | {\"url\":\"https://93.184.216.34/hook\",\"eventTypes\":[\"task.failed\"],\"rateLimit\":1.5} | rateLimit",
			"/v1/event-types | {\"name\":5} | name",
			"/v1/event-types | {\"name\":\"a.b\",\"deprecated\":\"yes\"} | deprecated",
			"/v1/event-types | {\"name\":\"a.b\",\"description\":[]} | description" })
	void wrongTypesAndNullElementsAreRefusedNamingTheField(String path, String body, String field) {
		String operator = this.portal.token("body-types-operator", OPERATOR_SECRET);
		String token = path.equals("/v1/webhook-endpoints") ? applicationToken(operator) : operator;
		long before = ROWS.count(ROW_COUNT);
		this.http.post()
			.uri(path)
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
		assertThat(ROWS.count(ROW_COUNT)).isEqualTo(before);
	}

	private String applicationToken(String operator) {
		return this.portal.applicationToken(operator, "body-types");
	}

}
