package io.hookway.standalone;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.AccessMatrix;
import io.hookway.core.test.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Every method of every path the standalone platform serves, gateway and portal in one
 * security chain, against the scope rules; and a check that the matrix names every served
 * path, so a new endpoint cannot be added without its scope.
 */
class AccessMatrixTest extends StandaloneIntegrationTest {

	static final AccessMatrix MATRIX = matrix();

	@Autowired
	ApplicationContext context;

	static AccessMatrix matrix() {
		String task = AccessMatrix.unknown(IdKind.TASK);
		String application = AccessMatrix.unknown(IdKind.APPLICATION);
		String endpoint = AccessMatrix.unknown(IdKind.ENDPOINT);
		String delivery = AccessMatrix.unknown(IdKind.DELIVERY);
		String message = AccessMatrix.unknown(IdKind.MESSAGE);
		Map<String, String> ingest = new LinkedHashMap<>();
		AccessMatrix.METHODS.forEach((method) -> ingest.put(method, "tasks:write"));
		String manage = "applications:manage";
		String webhooks = "webhooks:manage";
		return new AccessMatrix().path("/api/{route}", "/api/orders", ingest)
			.path("/api/{route}/**", "/api/orders/1", ingest)
			.path("/v1/tasks", "/v1/tasks", Map.of("GET", "tasks:read"))
			.path("/v1/tasks/{taskId}", "/v1/tasks/" + task, Map.of("GET", "tasks:read", "DELETE", "tasks:write"))
			.path("/internal/v1/tasks/{taskId}/result", "/internal/v1/tasks/" + task + "/result",
					Map.of("POST", "tasks:complete"))
			.path("/internal/v1/events", "/internal/v1/events", Map.of("POST", "events:publish"))
			.open("/oauth2/token", "/oauth2/token")
			.open("/oauth2/jwks", "/oauth2/jwks")
			.open("/.well-known/openid-configuration", "/.well-known/openid-configuration")
			.path("/v1/applications", "/v1/applications", Map.of("GET", manage, "POST", manage))
			.path("/v1/applications/{id}", "/v1/applications/" + application, Map.of("GET", manage, "DELETE", manage))
			.path("/v1/applications/{id}/rotate-secret", "/v1/applications/" + application + "/rotate-secret",
					Map.of("POST", manage))
			.path("/v1/applications/{id}/dashboard-links", "/v1/applications/" + application + "/dashboard-links",
					Map.of("POST", manage))
			.path("/v1/dashboard-links", "/v1/dashboard-links", Map.of("POST", webhooks))
			.path("/v1/webhook-endpoints", "/v1/webhook-endpoints", Map.of("GET", webhooks, "POST", webhooks))
			.path("/v1/webhook-endpoints/{id}", "/v1/webhook-endpoints/" + endpoint,
					Map.of("GET", webhooks, "PATCH", webhooks, "DELETE", webhooks))
			.path("/v1/webhook-endpoints/{id}/secret", "/v1/webhook-endpoints/" + endpoint + "/secret",
					Map.of("GET", webhooks))
			.path("/v1/webhook-endpoints/{id}/rotate-secret", "/v1/webhook-endpoints/" + endpoint + "/rotate-secret",
					Map.of("POST", webhooks))
			.path("/v1/webhook-endpoints/{id}/test", "/v1/webhook-endpoints/" + endpoint + "/test",
					Map.of("POST", webhooks))
			.path("/v1/webhook-endpoints/{endpointId}/deliveries", "/v1/webhook-endpoints/" + endpoint + "/deliveries",
					Map.of("GET", webhooks))
			.path("/v1/deliveries/{deliveryId}", "/v1/deliveries/" + delivery, Map.of("GET", webhooks))
			.path("/v1/deliveries/{deliveryId}/retry", "/v1/deliveries/" + delivery + "/retry",
					Map.of("POST", webhooks))
			.path("/v1/event-types", "/v1/event-types", Map.of("GET", webhooks, "POST", manage))
			.alsoWith("/v1/event-types", "GET", manage)
			.path("/v1/event-types/{name}", "/v1/event-types/no-such.type", Map.of("GET", webhooks, "PATCH", manage))
			.alsoWith("/v1/event-types/{name}", "GET", manage)
			.path("/v1/webhook-endpoints/{endpointId}/recover", "/v1/webhook-endpoints/" + endpoint + "/recover",
					Map.of("POST", webhooks))
			.path("/v1/messages", "/v1/messages", Map.of("GET", webhooks))
			.path("/v1/messages/{messageId}", "/v1/messages/" + message, Map.of("GET", webhooks))
			.unlisted("/v1/tasks/" + task + "/result")
			.unlisted("/internal/v1/tasks/" + task)
			.unlisted("/v1/deliveries")
			.unlisted("/demo/upstream/x")
			.unlisted("/v1/somewhere-else");
	}

	static Stream<AccessMatrix.Case> cases() {
		return MATRIX.cases();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void everyMethodOfEveryPathNeedsItsScope(AccessMatrix.Case call) throws Exception {
		UUID application = IdKind.newUuid();
		AccessMatrix.check(call, this.port, (scopes) -> TestIssuer.shared().applicationToken(application, scopes));
	}

	@Test
	void theMatrixNamesEveryServedPath() {
		// the dashboard's pages have a chain of their own (session cookie, not tokens):
		// the portal's DashboardAccessTest
		MATRIX.assertCovers(this.context, "/v3/api-docs", "/swagger-ui", "/webjars", "/actuator", "/dashboard");
	}

}
