package io.hookway.portal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event-type catalog (API.md §9) over HTTP against real PostgreSQL: the operator
 * manages it, applications read it, the platform's own types are listed and cannot be
 * changed, and every refused request stores nothing.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class EventTypeCatalogTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String OPERATOR = "catalog-operator";

	private static final String OPERATOR_SECRET = "catalog-operator-secret-0123456789";

	private static final Map<String, Object> SCHEMA = Map.of("type", "object", "required", List.of("amount"),
			"properties", Map.of("amount", Map.of("type", "integer", "minimum", 0)));

	@LocalServerPort
	int port;

	PlatformClient portal;

	String operator;

	/** Types outlive a run in the shared test database: each run names its own. */
	String namespace;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> OPERATOR);
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		TestDatabase.keepConnectionsFew(registry);
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		this.operator = this.portal.token(OPERATOR, OPERATOR_SECRET);
		this.namespace = "invoice-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void operatorCreatesAndChangesTypesThatApplicationsRead() {
		String name = this.namespace + ".paid";
		Map<String, Object> created = send("POST", "/v1/event-types", this.operator,
				Map.of("name", name, "description", "An invoice was paid.", "schema", SCHEMA))
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals(HttpHeaders.LOCATION, "/v1/event-types/" + name)
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		assertThat(created).containsEntry("name", name)
			.containsEntry("description", "An invoice was paid.")
			.containsEntry("schema", SCHEMA)
			.containsEntry("deprecated", false)
			.containsEntry("platform", false)
			.containsKey("createdAt");

		String application = this.portal.applicationToken(this.operator, "catalog-reader");
		assertThat(get("/v1/event-types/" + name, application)).isEqualTo(created);

		Map<String, Object> deprecated = patch(name, Map.of("deprecated", true, "description", "Use v2."));
		assertThat(deprecated).containsEntry("deprecated", true)
			.containsEntry("description", "Use v2.")
			.containsEntry("schema", SCHEMA);
		assertThat(patch(name, Map.of())).isEqualTo(deprecated);
		Map<String, Object> withoutSchema = new HashMap<>();
		withoutSchema.put("schema", null);
		assertThat(patch(name, withoutSchema)).containsEntry("schema", null)
			.containsEntry("deprecated", true)
			.containsEntry("description", "Use v2.");
		assertThat(patch(name, Map.of("schema", Map.of("type", "string")))).containsEntry("schema",
				Map.of("type", "string"));
		assertThat(ROWS.single("select schema::text from event_types where name = ?", name))
			.isEqualTo("{\"type\": \"string\"}");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theListPagesByNameWithThePlatformTypesMarked() {
		for (String suffix : List.of("b", "a", "c")) {
			send("POST", "/v1/event-types", this.operator, Map.of("name", this.namespace + "." + suffix)).expectStatus()
				.isCreated();
		}
		String application = this.portal.applicationToken(this.operator, "catalog-pager");
		List<Map<String, Object>> all = new ArrayList<>();
		String cursor = null;
		do {
			Map<String, Object> page = get("/v1/event-types?limit=2" + ((cursor != null) ? "&cursor=" + cursor : ""),
					application);
			List<Map<String, Object>> data = (List<Map<String, Object>>) page.get("data");
			assertThat(data).hasSizeLessThanOrEqualTo(2);
			all.addAll(data);
			cursor = (String) page.get("nextCursor");
		}
		while (cursor != null);
		List<String> names = all.stream().map((type) -> (String) type.get("name")).toList();
		assertThat(names).doesNotHaveDuplicates()
			.containsSubsequence(this.namespace + ".a", this.namespace + ".b", this.namespace + ".c")
			.contains("task.succeeded", "task.failed", "webhook.test", "endpoint.disabled", "delivery.exhausted")
			.hasSize(Math.toIntExact(ROWS.count("select count(*) from event_types")));
		assertThat(all).filteredOn((type) -> Boolean.TRUE.equals(type.get("platform")))
			.extracting((type) -> type.get("name"))
			.containsExactlyInAnyOrder("task.succeeded", "task.failed", "webhook.test", "endpoint.disabled",
					"delivery.exhausted");
		send("GET", "/v1/event-types?cursor=bm90IGEgbmFtZSE", application, null).expectStatus().isBadRequest();
		send("GET", "/v1/event-types?limit=0", application, null).expectStatus().isBadRequest();
	}

	@Test
	void applicationsCannotManageTheCatalog() {
		String application = this.portal.applicationToken(this.operator, "catalog-meddler");
		String name = this.namespace + ".meddled";
		send("POST", "/v1/event-types", application, Map.of("name", name)).expectStatus().isForbidden();
		send("PATCH", "/v1/event-types/task.failed", application, Map.of("deprecated", true)).expectStatus()
			.isForbidden();
		assertThat(ROWS.count("select count(*) from event_types where name = '" + name + "'")).isZero();
	}

	@Test
	void badNamesReservedNamespacesAndTakenNamesAreRefusedStoringNothing() {
		long before = ROWS.count("select count(*) from event_types");
		for (String name : List.of("Invoice.Paid", "invoice..paid", ".invoice", "invoice.", "invoice paid",
				"a".repeat(129), "task.custom", "task", "webhook.ping", "endpoint.created", "delivery.late")) {
			refused("POST", "/v1/event-types", Map.of("name", name), "name");
		}
		refused("POST", "/v1/event-types", Map.of("description", "no name"), "name");
		assertThat(ROWS.count("select count(*) from event_types")).isEqualTo(before);

		String name = this.namespace + ".x" + "y".repeat(128 - this.namespace.length() - 2);
		assertThat(name).hasSize(128);
		send("POST", "/v1/event-types", this.operator, Map.of("name", name, "description", "first")).expectStatus()
			.isCreated();
		send("POST", "/v1/event-types", this.operator, Map.of("name", name, "description", "second")).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("event_type_exists");
		assertThat(ROWS.single("select description from event_types where name = ?", name)).isEqualTo("first");
	}

	@Test
	void schemasThatAreNotDraft202012AreRefusedNamingTheError() {
		String name = this.namespace + ".checked";
		schemaRefused(name, Map.of("type", "objekt"), "schema/type", "enumeration");
		schemaRefused(name, Map.of("properties", Map.of("amount", Map.of("minimum", "zero"))),
				"schema/properties/amount/minimum", "number expected");
		schemaRefused(name, Map.of("required", List.of(1)), "schema/required/0", "string expected");
		schemaRefused(name, "an object", "schema", "[object, boolean] expected");
		schemaRefused(name, Map.of("$schema", "http://json-schema.org/draft-07/schema#"), "schema/$schema", "2020-12");
		schemaRefused(name, Map.of("type", "string", "pattern", "[a-z"), "schema", "regular expression");
		schemaRefused(name, Map.of("$ref", "#/$defs/missing"), "schema", "does not resolve");
		schemaRefused(name, Map.of("$ref", "https://schemas.example.com/invoice.json"), "schema", "outside the schema");
		assertThat(ROWS.count("select count(*) from event_types where name = '" + name + "'")).isZero();

		send("POST", "/v1/event-types", this.operator, Map.of("name", name, "schema", SCHEMA)).expectStatus()
			.isCreated();
		refused("PATCH", "/v1/event-types/" + name, Map.of("schema", Map.of("minLength", -1)), "schema/minLength");
		assertThat(ROWS.single("select schema->>'type' from event_types where name = ?", name)).isEqualTo("object");
	}

	@Test
	void thePlatformsOwnTypesCannotBeChanged() {
		refused("PATCH", "/v1/event-types/task.succeeded", Map.of("deprecated", true, "description", "mine"), "name");
		assertThat(ROWS.single("select deprecated::text || ' ' || description from event_types where name = ?",
				"task.succeeded"))
			.isEqualTo("false A task ended with a 2xx from its upstream; data is the task view.");
		send("PATCH", "/v1/event-types/" + this.namespace + ".unknown", this.operator, Map.of("deprecated", true))
			.expectStatus()
			.isNotFound();
		send("GET", "/v1/event-types/" + this.namespace + ".unknown", this.operator, null).expectStatus().isNotFound();
	}

	@Test
	@SuppressWarnings("unchecked")
	void theOpenApiDocumentShowsSchemasAndClearableFieldsAsTheJsonTheyAre() {
		Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) get("/v3/api-docs", this.operator)
			.get("components")).get("schemas");
		assertThat(property(schemas, "UpdateEndpoint", "rateLimit")).containsEntry("type", List.of("integer", "null"))
			.doesNotContainKey("$ref");
		assertThat(property(schemas, "UpdateEventType", "schema"))
			.containsEntry("type", List.of("object", "boolean", "null"))
			.doesNotContainKey("$ref");
		assertThat(property(schemas, "EventTypeView", "schema"))
			.containsEntry("type", List.of("object", "boolean", "null"))
			.doesNotContainKey("$ref");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> property(Map<String, Object> schemas, String schema, String property) {
		return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) schemas.get(schema))
			.get("properties")).get(property);
	}

	@SuppressWarnings("unchecked")
	private void schemaRefused(String name, Object schema, String field, String message) {
		Map<String, Object> problem = send("POST", "/v1/event-types", this.operator,
				Map.of("name", name, "schema", schema))
			.expectStatus()
			.isEqualTo(422)
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		assertThat((List<Map<String, Object>>) problem.get("errors")).as("errors for %s", schema)
			.anySatisfy((error) -> {
				assertThat(error).containsEntry("field", field);
				assertThat((String) error.get("message")).contains(message);
			});
	}

	private void refused(String method, String uri, Map<String, Object> body, String field) {
		send(method, uri, this.operator, body).expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
	}

	private Map<String, Object> patch(String name, Map<String, Object> body) {
		return send("PATCH", "/v1/event-types/" + name, this.operator, body).expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
	}

	private Map<String, Object> get(String uri, String token) {
		return send("GET", uri, token, null).expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
	}

	private WebTestClient.ResponseSpec send(String method, String uri, String token, Object body) {
		WebTestClient.RequestBodySpec request = this.portal.http()
			.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(token));
		return (body != null) ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
				: request.exchange();
	}

}
