package io.hookway.standalone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.PlatformClient;
import io.hookway.standalone.StatedLimits.Limit;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Walks the served API document: every limit it states (maxLength, minLength, maximum,
 * minimum, minItems, pattern, enum, date-time) on a JSON body's property, a query
 * parameter or a header is refused just beyond it, so that a client validating against
 * the document and the server agree. Each operation that states one has a valid call
 * below, which is broken in one place at a time.
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
		Map<String, Call> calls = calls();
		List<String> checked = new ArrayList<>();
		((Map<String, Map<String, Map<String, Object>>>) document.get("paths"))
			.forEach((path, item) -> item.forEach((method, operation) -> {
				List<Limit> limits = StatedLimits.of(document, operation);
				if (limits.isEmpty()) {
					return;
				}
				String operationId = (String) operation.get("operationId");
				Call call = calls.get(operationId);
				assertThat(call).as("a valid call of %s, which states limits", operationId).isNotNull();
				for (Limit limit : limits) {
					for (Object beyond : limit.beyond()) {
						refused(call, limit, beyond);
					}
					checked.add(operationId + " " + limit.in() + " " + limit.name());
				}
			}));
		assertThat(checked).contains("createApplication body name", "createApplication body scopes",
				"createEndpoint body url", "createEndpoint body rateLimit", "updateEndpoint body rateLimit",
				"updateEventType body description", "reportTaskResult body statusCode", "issueToken form grant_type",
				"listTasks query limit", "listTasks query cursor", "listTasks query status",
				"listDeliveries query status", "listMessages query type", "listMessages query after",
				"publishEvent header Idempotency-Key", "callRoutePost header Idempotency-Key");
	}

	/** A valid call of each operation that states limits. */
	private Map<String, Call> calls() {
		Tenant tenant = newTenant("limits");
		String operator = operatorToken();
		Map<String, Object> publisher = this.client.createApplication(operator,
				Map.of("name", "limits-publisher", "scopes", List.of("events:publish", "tasks:complete")));
		String service = this.client.token((String) publisher.get("clientId"), (String) publisher.get("clientSecret"));
		String eventType = "limits." + UUID.randomUUID().toString().substring(0, 8);
		this.client.http()
			.post()
			.uri("/v1/event-types")
			.headers((headers) -> headers.setBearerAuth(operator))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", eventType))
			.exchange()
			.expectStatus()
			.isCreated();
		Map<String, Object> endpoint = this.client.registerEndpoint(tenant.token(), "http://127.0.0.1:9/limits",
				List.of("task.succeeded"));
		String endpointPath = "/v1/webhook-endpoints/" + endpoint.get("id");
		Map<String, Call> calls = new LinkedHashMap<>();
		calls.put("createApplication",
				new Call(HttpMethod.POST, "/v1/applications", operator, Map.of("name", "limits")));
		calls.put("createEndpoint", new Call(HttpMethod.POST, "/v1/webhook-endpoints", tenant.token(),
				Map.of("url", "http://127.0.0.1:9/limits", "eventTypes", List.of("task.succeeded"))));
		calls.put("createEventType",
				new Call(HttpMethod.POST, "/v1/event-types", operator, Map.of("name", eventType + ".new")));
		calls.put("updateEventType",
				new Call(HttpMethod.PATCH, "/v1/event-types/" + eventType, operator, Map.of("description", "limits")));
		calls.put("updateEndpoint",
				new Call(HttpMethod.PATCH, endpointPath, tenant.token(), Map.of("description", "limits")));
		String waiting = waitingTask(tenant);
		calls.put("reportTaskResult", new Call(HttpMethod.POST, "/internal/v1/tasks/" + waiting + "/result", service,
				Map.of("statusCode", 200), Map.of("Hookway-Completion-Token", completionToken(waiting))));
		calls.put("publishEvent", new Call(HttpMethod.POST, "/internal/v1/events", service,
				Map.of("applicationId", tenant.applicationId(), "type", eventType, "data", Map.of())));
		calls.put("issueToken", new Call(HttpMethod.POST, "/oauth2/token", null, Map.of()));
		calls.put("listApplications", new Call(HttpMethod.GET, "/v1/applications", operator, null));
		calls.put("listEventTypes", new Call(HttpMethod.GET, "/v1/event-types", operator, null));
		calls.put("listEndpoints", new Call(HttpMethod.GET, "/v1/webhook-endpoints", tenant.token(), null));
		calls.put("listDeliveries", new Call(HttpMethod.GET, endpointPath + "/deliveries", tenant.token(), null));
		calls.put("listMessages", new Call(HttpMethod.GET, "/v1/messages", tenant.token(), null));
		calls.put("listTasks", new Call(HttpMethod.GET, "/v1/tasks", tenant.token(), null));
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
				HttpMethod.DELETE)) {
			String name = method.name().charAt(0) + method.name().substring(1).toLowerCase();
			calls.put("callRoute" + name, new Call(method, "/api/lookups", tenant.token(), Map.of()));
			calls.put("callRouteWithPath" + name, new Call(method, "/api/lookups/limits", tenant.token(), Map.of()));
		}
		return calls;
	}

	private void refused(Call call, Limit limit, Object beyond) {
		Map<String, Object> body = (call.valid() != null) ? new LinkedHashMap<>(call.valid()) : null;
		if ("body".equals(limit.in())) {
			body.put(limit.name(), beyond);
		}
		var request = this.client.http().method(call.method()).uri((uri) -> {
			uri.path(call.path());
			if ("query".equals(limit.in())) {
				// a variable, so that the value is encoded whatever it holds
				uri.queryParam(limit.name(), "{beyond}");
			}
			return uri.build(beyond);
		}).headers((headers) -> {
			if (call.token() != null) {
				headers.setBearerAuth(call.token());
			}
			call.headers().forEach(headers::set);
			if ("header".equals(limit.in())) {
				headers.set(limit.name(), (String) beyond);
			}
		});
		if ("form".equals(limit.in())) {
			request.headers((headers) -> headers.setBasicAuth(OPERATOR_ID, OPERATOR_SECRET))
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(BodyInserters.fromFormData(limit.name(), (String) beyond));
		}
		else if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
		}
		EntityExchangeResult<String> result = request.exchange().expectBody(String.class).returnResult();
		String what = call.method() + " " + call.path() + " " + limit.in() + " " + limit.name() + "=" + beyond;
		// 400 or 422: refused for what it says, not for who sent it or what it names
		assertThat(result.getStatus().value()).as(what + ": " + result.getResponseBody()).isIn(400, 422);
		MediaType expected = "form".equals(limit.in()) ? MediaType.APPLICATION_JSON
				: MediaType.APPLICATION_PROBLEM_JSON;
		assertThat(result.getResponseHeaders().getContentType()).as(what)
			.isNotNull()
			.satisfies((type) -> assertThat(type.isCompatibleWith(expected)).as(what + ": " + type).isTrue());
		assertThat(result.getResponseBody()).as(what).contains(limit.name());
	}

	/** A task whose upstream answered 202: it waits for a report. */
	private String waitingTask(Tenant tenant) {
		Map<String, Object> accepted = this.client.http()
			.post()
			.uri("/api/reports/status/202")
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		String taskId = (String) accepted.get("taskId");
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.client.task(tenant.token(), taskId).get("status"), "RUNNING"::equals);
		return taskId;
	}

	private static String completionToken(String taskId) {
		return upstream.requests()
			.stream()
			.filter((request) -> taskId.equals(request.header("Hookway-Task-Id")))
			.map((request) -> request.header("Hookway-Completion-Token"))
			.findFirst()
			.orElseThrow();
	}

	private record Call(HttpMethod method, String path, String token, Map<String, Object> valid,
			Map<String, String> headers) {

		Call(HttpMethod method, String path, String token, Map<String, Object> valid) {
			this(method, path, token, valid, Map.of());
		}

	}

}
