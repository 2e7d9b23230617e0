package io.hookway.portal;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.AccessMatrix;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every method of every portal path against the scope rules: the whole matrix, and a
 * check that the matrix names every path the portal serves.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PortalAccessMatrixTest {

	static final AccessMatrix MATRIX = matrix();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> "matrix-operator");
		registry.add("hookway.portal.operator.client-secret", () -> "matrix-operator-secret-of-some-length");
	}

	static AccessMatrix matrix() {
		String application = AccessMatrix.unknown(IdKind.APPLICATION);
		String endpoint = AccessMatrix.unknown(IdKind.ENDPOINT);
		String delivery = AccessMatrix.unknown(IdKind.DELIVERY);
		String message = AccessMatrix.unknown(IdKind.MESSAGE);
		String manage = "applications:manage";
		String webhooks = "webhooks:manage";
		return new AccessMatrix().open("/oauth2/token", "/oauth2/token")
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
			.unlisted("/v1/deliveries")
			.unlisted("/v1/applications/" + application + "/secret")
			.unlisted("/v1/webhook-endpoints/" + endpoint + "/deliveries/" + delivery)
			.unlisted("/v1/somewhere-else");
	}

	static Stream<AccessMatrix.Case> cases() {
		return MATRIX.cases();
	}

	/**
	 * The matrix five times over, on the client's kept-alive connections: these quick
	 * refusals are where a request arriving as the previous response ends used to be left
	 * unread (one in a few hundred under load; see ReadAfterResponse).
	 */
	@Test
	void everyCallOnKeptAliveConnectionsIsAnswered() throws Exception {
		List<AccessMatrix.Case> calls = cases().toList();
		for (int round = 0; round < 5; round++) {
			for (AccessMatrix.Case call : calls) {
				everyMethodOfEveryPathNeedsItsScope(call);
			}
		}
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
		// DashboardAccessTest
		MATRIX.assertCovers(this.context, "/v3/api-docs", "/swagger-ui", "/webjars", "/actuator", "/dashboard");
	}

}
