package io.hookway.gateway.event;

import java.util.Arrays;
import java.util.UUID;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.core.test.TestRows;
import io.hookway.gateway.GatewayApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a publication is refused: a problem naming each offending field, and nothing
 * stored for any application.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PublishRefusalTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	@LocalServerPort
	int port;

	WebTestClient http;

	String token;

	String family;

	UUID active;

	UUID disabled;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes.billing.upstream", () -> "http://127.0.0.1:9");
		registry.add("hookway.events.max-payload-size", () -> "1KB");
	}

	@BeforeEach
	void setUp() throws Exception {
		this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		this.token = TestIssuer.shared().token("cli_refused_service", null, "events:publish");
		this.family = EventFixtures.family();
		EventFixtures.eventType(this.family + ".paid", null, false);
		EventFixtures.eventType(this.family + ".old", null, true);
		this.active = EventFixtures.application("ACTIVE");
		this.disabled = EventFixtures.application("DISABLED");
		for (UUID application : new UUID[] { this.active, this.disabled }) {
			EventFixtures.endpoint(application, true, "*");
		}
	}

	/**
	 * {@code {app}}, {@code {disabled}}, {@code {unknown}} stand for application ids and
	 * {@code {family}} for this test's types; {@code fields} are those the errors name.
	 */
	@ParameterizedTest(name = "{0} -> {2} {3}")
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			textBlock = """
					unknown type         | {"applicationId":"{app}","type":"{family}.nothing","data":{}}   | 422 | type
					deprecated type      | {"applicationId":"{app}","type":"{family}.old","data":{}}       | 422 | type
					platform type        | {"applicationId":"{app}","type":"task.succeeded","data":{}}      | 422 | type
					platform family      | {"applicationId":"{app}","type":"webhook.test","data":{}}        | 422 | type
					no such type name    | {"applicationId":"{app}","type":"endpoint.created","data":{}}    | 422 | type
					unknown application  | {"applicationId":"{unknown}","type":"{family}.paid","data":{}}  | 422 | applicationId
					disabled application | {"applicationId":"{disabled}","type":"{family}.paid","data":{}} | 422 | applicationId
					malformed app id     | {"applicationId":"app_nope","type":"{family}.paid","data":{}}   | 422 | applicationId
					both wrong           | {"applicationId":"{disabled}","type":"{family}.old","data":1}   | 422 | applicationId type
					missing fields       | {}                                                              | 422 | applicationId type data
					wrong field types    | {"applicationId":7,"type":["{family}.paid"],"data":{}}          | 422 | applicationId type
					not an object        | ["{app}","{family}.paid",{}]                                     | 422 | ``
					malformed JSON       | {"applicationId":"{app}","type":                                 | 400 |
					trailing garbage     | {"applicationId":"{app}","type":"{family}.paid","data":{}} x    | 400 |
					duplicate key        | {"applicationId":"{app}","type":"{family}.paid","type":"a.b","data":{}} | 400 |
					empty body           | ``                                                              | 400 |
					""")
	void refusalNamesTheFieldsAndStoresNothing(String name, String template, int status, String fields)
			throws Exception {
		String body = template.replace("{app}", IdKind.APPLICATION.format(this.active))
			.replace("{disabled}", IdKind.APPLICATION.format(this.disabled))
			.replace("{unknown}", IdKind.APPLICATION.format(IdKind.newUuid()))
			.replace("{family}", this.family);
		WebTestClient.BodyContentSpec problem = publish(body, null).expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status);
		if (fields != null) {
			String[] named = fields.isEmpty() ? new String[] { "" } : fields.split(" ");
			problem.jsonPath("$.errors[*].field")
				.value((found) -> assertThat(found).asInstanceOf(InstanceOfAssertFactories.LIST)
					.containsExactlyInAnyOrderElementsOf(Arrays.asList(named)));
		}
		assertNothingStored();
	}

	@Test
	void dataOverTheLimitIsTooLargeWhetherOrNotTheBodyFitsTheReadLimit() throws Exception {
		// compact data just over 1 KiB: read whole, measured, refused
		String justOver = "{\"text\":\"" + "x".repeat(1024) + "\"}";
		// far over: the body is cut off while it is read
		String farOver = "{\"text\":\"" + "x".repeat(64 * 1024) + "\"}";
		for (String data : new String[] { justOver, farOver }) {
			publish(EventFixtures.publication(this.active, this.family + ".paid", data), null).expectStatus()
				.isEqualTo(413)
				.expectBody()
				.jsonPath("$.errors[0].field")
				.isEqualTo("data");
		}
		// spacing does not count: the data is measured as it is stored
		String spacious = "{\"text\":\"" + "x".repeat(900) + "\"" + " ".repeat(2000) + "}";
		publish(EventFixtures.publication(this.active, this.family + ".paid", spacious), null).expectStatus()
			.isAccepted();
		assertThat(ROWS.count("select count(*) from webhook_messages where application_id = ?", this.active))
			.isEqualTo(1);
	}

	@Test
	void invalidIdempotencyKeyIsABadRequest() throws Exception {
		publish(EventFixtures.publication(this.active, this.family + ".paid", "{}"), "not visible ascii ü")
			.expectStatus()
			.isBadRequest();
		assertNothingStored();
	}

	private void assertNothingStored() throws Exception {
		assertThat(ROWS.count("select count(*) from webhook_messages where application_id = any(?)",
				(Object) new UUID[] { this.active, this.disabled }))
			.isZero();
		assertThat(ROWS.count("select count(*) from webhook_deliveries where application_id = any(?)",
				(Object) new UUID[] { this.active, this.disabled }))
			.isZero();
	}

	private WebTestClient.ResponseSpec publish(String body, String key) {
		return this.http.post().uri("/internal/v1/events").headers((headers) -> {
			headers.setBearerAuth(this.token);
			if (key != null) {
				headers.set("Idempotency-Key", key);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

}
