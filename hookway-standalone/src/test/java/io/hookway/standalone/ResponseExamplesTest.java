package io.hookway.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The success examples of the API document are bodies that real calls answered: this test
 * makes the calls against the running platform and compares each answer with
 * {@code docs/openapi-examples/<operationId>.json} by shape (the same fields with values
 * of the same JSON types), then checks that the served document shows those files. Run
 * with {@code -Dhookway.openapi.write=true} to write the answers over the files instead;
 * the document picks them up from the next build on.
 */
class ResponseExamplesTest extends StandaloneIntegrationTest {

	static final Path EXAMPLES = Path.of("..", "docs", "openapi-examples");

	private static final boolean WRITE = Boolean.getBoolean("hookway.openapi.write");

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final Map<String, JsonNode> answers = new LinkedHashMap<>();

	@Test
	void examplesAreTheShapeOfRealAnswersAndTheDocumentShowsThem() throws IOException {
		String operator = operatorToken();
		record("issueToken",
				call(HttpMethod.POST, "/oauth2/token", null,
						(request) -> request.headers((headers) -> headers.setBasicAuth(OPERATOR_ID, OPERATOR_SECRET))
							.contentType(MediaType.APPLICATION_FORM_URLENCODED)
							.body(BodyInserters.fromFormData("grant_type", "client_credentials"))));
		record("getOpenIdConfiguration", call(HttpMethod.GET, "/.well-known/openid-configuration", null, null));
		record("getJwks", call(HttpMethod.GET, "/oauth2/jwks", null, null));
		JsonNode application = record("createApplication",
				call(HttpMethod.POST, "/v1/applications", operator, json(Map.of("name", "Example shop"))));
		String applicationId = application.get("id").asString();
		record("getApplication", call(HttpMethod.GET, "/v1/applications/" + applicationId, operator, null));
		String token = this.client.token(application.get("clientId").asString(),
				application.get("clientSecret").asString());
		String eventType = "invoices-" + UUID.randomUUID().toString().substring(0, 8) + ".paid";
		record("createEventType", call(HttpMethod.POST, "/v1/event-types", operator,
				json(Map.of("name", eventType, "description", "An invoice was paid in full."))));
		JsonNode endpoint = record("createEndpoint",
				call(HttpMethod.POST, "/v1/webhook-endpoints", token,
						json(Map.of("url", receiver.baseUrl() + "/examples/hooks", "eventTypes",
								List.of("task.succeeded", eventType), "description", "Order service"))));
		String endpointId = endpoint.get("id").asString();
		record("getEndpoint", call(HttpMethod.GET, "/v1/webhook-endpoints/" + endpointId, token, null));
		JsonNode accepted = record("callRoutePost",
				call(HttpMethod.POST, "/api/reports", token, json(Map.of("month", "2026-10", "format", "pdf"))));
		String taskPath = "/v1/tasks/" + accepted.get("taskId").asString();
		record("getTask",
				await().atMost(Duration.ofSeconds(30))
					.until(() -> call(HttpMethod.GET, taskPath, token, null),
							(task) -> "SUCCEEDED".equals(task.get("status").asString())));
		record("listTasks", call(HttpMethod.GET, "/v1/tasks?limit=1", token, null));
		Map<String, Object> billing = this.client.createApplication(operator,
				Map.of("name", "Billing service", "scopes", List.of("events:publish")));
		String publisher = this.client.token((String) billing.get("clientId"), (String) billing.get("clientSecret"));
		record("publishEvent", call(HttpMethod.POST, "/internal/v1/events", publisher, json(Map.of("applicationId",
				applicationId, "type", eventType, "data", Map.of("invoiceId", "inv_1001", "amountCents", 4200)))));
		String deliveries = "/v1/webhook-endpoints/" + endpointId + "/deliveries";
		JsonNode delivered = record("listDeliveries",
				await().atMost(Duration.ofSeconds(30))
					.until(() -> call(HttpMethod.GET, deliveries, token, null),
							(page) -> page.get("data").size() == 2 && StreamSupport
								.stream(page.get("data").spliterator(), false)
								.allMatch((delivery) -> "SUCCEEDED".equals(delivery.get("status").asString()))));
		record("getDelivery", call(HttpMethod.GET,
				"/v1/deliveries/" + delivered.get("data").get(0).get("id").asString(), token, null));
		JsonNode messages = record("listMessages", call(HttpMethod.GET, "/v1/messages", token, null));
		record("getMessage",
				call(HttpMethod.GET, "/v1/messages/" + messages.get("data").get(0).get("id").asString(), token, null));
		Files.createDirectories(EXAMPLES);
		for (Map.Entry<String, JsonNode> answer : this.answers.entrySet()) {
			Path file = EXAMPLES.resolve(answer.getKey() + ".json");
			if (WRITE) {
				Files.writeString(file,
						JSON.writeValueAsString(withoutCredentials(answer.getValue().deepCopy())) + "\n",
						StandardCharsets.UTF_8);
			}
			assertThat(file).as("no example of %s: record them with -Dhookway.openapi.write=true", answer.getKey())
				.exists();
			JsonNode committed = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
			assertThat(JsonShapes.differences(committed, answer.getValue()))
				.as("%s answers in another shape than its example: record them again with "
						+ "-Dhookway.openapi.write=true", answer.getKey())
				.isEmpty();
		}
		if (!WRITE) {
			assertDocumentShowsTheExamples();
		}
	}

	private void assertDocumentShowsTheExamples() throws IOException {
		JsonNode document = call(HttpMethod.GET, "/v3/api-docs", null, null);
		Map<String, JsonNode> shown = new LinkedHashMap<>();
		document.get("paths").forEach((item) -> item.forEach((operation) -> {
			JsonNode responses = operation.get("responses");
			if (operation.has("operationId") && responses != null) {
				responses.properties()
					.stream()
					.filter((response) -> response.getKey().startsWith("2") && response.getValue().has("content"))
					.findFirst()
					.ifPresent((response) -> response.getValue()
						.get("content")
						.forEach((media) -> shown.put(operation.get("operationId").asString(), media.get("example"))));
			}
		}));
		for (String operationId : this.answers.keySet()) {
			JsonNode committed = JSON
				.readTree(Files.readString(EXAMPLES.resolve(operationId + ".json"), StandardCharsets.UTF_8));
			assertThat(shown.get(operationId)).as("the document's example of %s", operationId).isEqualTo(committed);
		}
	}

	/**
	 * The credentials an answer carries, in their real form (prefix, alphabet, a token's
	 * header and claims) but not their real value: a published document should hold no
	 * string that a secret scanner, or a reader, takes for a live secret.
	 */
	private static JsonNode withoutCredentials(JsonNode node) {
		if (node instanceof ObjectNode object) {
			for (Map.Entry<String, JsonNode> property : List.copyOf(object.properties())) {
				String name = property.getKey();
				String value = property.getValue().isString() ? property.getValue().asString() : null;
				if (value != null && name.equals("access_token")) {
					object.put(name, value.substring(0, value.lastIndexOf('.') + 1) + "ExampleSignatureNotValid");
				}
				else if (value != null && (name.equals("clientSecret") || name.equals("secret"))) {
					object.put(name, value.substring(0, value.indexOf('_') + 1) + "ExampleSecretNotReal0123456789");
				}
				else {
					withoutCredentials(property.getValue());
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			array.forEach(ResponseExamplesTest::withoutCredentials);
		}
		return node;
	}

	private JsonNode record(String operationId, JsonNode answer) {
		this.answers.put(operationId, answer);
		return answer;
	}

	private static Consumer<WebTestClient.RequestBodySpec> json(Object body) {
		return (request) -> request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
	}

	private JsonNode call(HttpMethod method, String uri, String token, Consumer<WebTestClient.RequestBodySpec> body) {
		WebTestClient.RequestBodySpec request = this.client.http().method(method).uri(uri);
		if (token != null) {
			request.headers((headers) -> headers.setBearerAuth(token));
		}
		if (body != null) {
			body.accept(request);
		}
		String answer = request.exchange()
			.expectStatus()
			.is2xxSuccessful()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return JSON.readTree(answer);
	}

}
