package io.hookway.standalone;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.PlatformClient;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks the served API document: for each body a creating call takes, every limit its
 * schema states (maxLength, maximum, minimum, minItems, enum) is refused just beyond it
 * with a 4xx problem+json, so that a client validating against the document and the
 * server agree.
 */
class DocumentedLimitsTest extends StandaloneIntegrationTest {

	@Test
	@SuppressWarnings("unchecked")
	void everyStatedLimitIsRefusedJustBeyondIt() {
		Map<String, Object> document = this.client.http()
			.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document.get("components"))
			.get("schemas");
		Tenant tenant = newTenant("limits");
		String operator = operatorToken();
		// a valid body of each call: each limit is broken in one copy of it
		List<Call> calls = List.of(
				new Call("/v1/applications", "CreateApplication", operator, Map.of("name", "limits")),
				new Call("/v1/webhook-endpoints", "CreateEndpoint", tenant.token(),
						Map.of("url", "http://127.0.0.1:9/limits", "eventTypes", List.of("task.succeeded"))),
				new Call("/v1/event-types", "CreateEventType", operator,
						Map.of("name", "limits." + UUID.randomUUID().toString().substring(0, 8))));
		List<String> checked = new ArrayList<>();
		for (Call call : calls) {
			Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) schemas.get(call.schema()))
				.get("properties");
			properties.forEach((name, property) -> {
				for (Object beyond : beyond((Map<String, Object>) property)) {
					Map<String, Object> body = new LinkedHashMap<>(call.valid());
					body.put(name, beyond);
					refused(call, body);
					checked.add(call.schema() + "." + name);
				}
			});
		}
		assertThat(checked).contains("CreateApplication.name", "CreateApplication.scopes", "CreateEndpoint.url",
				"CreateEndpoint.description", "CreateEventType.description");
	}

	/** Values just beyond each limit the property's schema states. */
	@SuppressWarnings("unchecked")
	private static List<Object> beyond(Map<String, Object> property) {
		List<Object> values = new ArrayList<>();
		if (property.get("maxLength") instanceof Number max) {
			values.add("a".repeat(max.intValue() + 1));
		}
		if (property.get("maximum") instanceof Number max) {
			values.add(max.longValue() + 1);
		}
		if (property.get("minimum") instanceof Number min) {
			values.add(min.longValue() - 1);
		}
		if (property.get("minItems") instanceof Number min && min.intValue() > 0) {
			values.add(List.of());
		}
		if (property.get("enum") != null) {
			values.add("not-one-of-the-values");
		}
		if (property.get("items") instanceof Map<?, ?> items && items.get("enum") != null) {
			values.add(List.of("not-one-of-the-values"));
		}
		return values;
	}

	private void refused(Call call, Map<String, Object> body) {
		int status = this.client.http()
			.post()
			.uri(call.path())
			.headers((headers) -> headers.setBearerAuth(call.token()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.returnResult(String.class)
			.getStatus()
			.value();
		assertThat(status).as("%s %s", call.path(), body.keySet()).isBetween(400, 499);
	}

	private record Call(String path, String schema, String token, Map<String, Object> valid) {
	}

}
