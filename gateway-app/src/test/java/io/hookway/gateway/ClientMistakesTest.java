package io.hookway.gateway;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Whatever a client gets wrong, the answer is a 4xx problem, never a 500. */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientMistakesTest {

	@LocalServerPort
	int port;

	WebTestClient http;

	String token;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes.billing.upstream", () -> "http://127.0.0.1:9");
	}

	@BeforeEach
	void setUp() {
		this.token = TestIssuer.shared().applicationToken(IdKind.newUuid(), "tasks:write", "tasks:read");
		// the OpenAPI document is built at its first request, which on a loaded box can
		// take
		// longer than WebTestClient's 5 s default
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@ParameterizedTest(name = "{0} {1} -> {2}")
	@CsvSource(delimiter = '|', textBlock = """
			GET    | /v1/tasks/not-a-task-id                 | 404
			GET    | /v1/tasks/app_00000000000000000000000000 | 404
			GET    | /v1/tasks/tsk_zzzzzzzzzzzzzzzzzzzzzzzzzz | 404
			DELETE | /v1/tasks/tsk_00000000000000000000000000 | 404
			GET    | /v1/tasks?limit=0                       | 400
			GET    | /v1/tasks?limit=many                    | 400
			GET    | /v1/tasks?cursor=bm90LWEtY3Vyc29y       | 400
			GET    | /v1/tasks?cursor=%%%                    | 400
			GET    | /v1/tasks?status=DONE                   | 400
			GET    | /api/billing/invoices                   | 405
			POST   | /api/nothing-here/x                     | 404
			POST   | /api/Billing/x                          | 404
			GET    | /v1/nothing                             | 403
			""")
	void mistakeIsAClientErrorProblem(String method, String uri, int status) {
		this.http.method(HttpMethod.valueOf(method))
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(this.token))
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status)
			.jsonPath("$.detail")
			.isNotEmpty();
	}

	/**
	 * Spring's own number conversion reads {@code 0x10} and {@code #10} as 16 and skips
	 * blanks; a list limit is plain decimal or a 400 naming it.
	 */
	@ParameterizedTest(name = "limit={0} -> 400")
	@CsvSource(delimiter = '|', textBlock = """
			0x10
			%2310
			+5
			-5
			%205
			5%20
			010
			1e1
			5.0
			99999999999999999999
			%EF%BC%95
			''
			""")
	void limitThatIsNotPlainDecimalIsABadRequestNamingIt(String limit) {
		this.http.get()
			.uri(java.net.URI.create("http://127.0.0.1:" + this.port + "/v1/tasks?limit=" + limit))
			.headers((headers) -> headers.setBearerAuth(this.token))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("invalid_parameter")
			.jsonPath("$.errors[0].field")
			.isEqualTo("limit");
	}

	@org.junit.jupiter.api.Test
	void openApiDocumentDescribesTheGatewayWithoutAToken() {
		this.http.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/v1/tasks/{taskId}'].get")
			.exists()
			.jsonPath("$.paths['/internal/v1/tasks/{taskId}/result'].post")
			.exists()
			.jsonPath("$.components.securitySchemes.oauth2.flows.clientCredentials.scopes['tasks:read']")
			.exists()
			.jsonPath("$.paths['/v1/tasks/{taskId}'].get.security[0].oauth2[0]")
			.isEqualTo("tasks:read")
			.jsonPath("$.paths['/api/{route}/{path}'].post.responses['202']")
			.exists()
			.jsonPath("$.paths['/v1/tasks/{taskId}'].get.responses['404'].content['application/problem+json']")
			.exists();
	}

	@ParameterizedTest(name = "Idempotency-Key [{0}] -> 400")
	@CsvSource(delimiter = '|', textBlock = """
			has space
			ümlaut
			""")
	void malformedIdempotencyKeyIsRejected(String key) {
		this.http.post().uri("/api/billing/x").headers((headers) -> {
			headers.setBearerAuth(this.token);
			headers.set("Idempotency-Key", key);
		})
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@ParameterizedTest(name = "key of {0} characters -> 400")
	@CsvSource({ "256" })
	void overlongIdempotencyKeyIsRejected(int length) {
		this.http.post().uri("/api/billing/x").headers((headers) -> {
			headers.setBearerAuth(this.token);
			headers.set("Idempotency-Key", "k".repeat(length));
		}).bodyValue("{}").exchange().expectStatus().isBadRequest();
	}

}
