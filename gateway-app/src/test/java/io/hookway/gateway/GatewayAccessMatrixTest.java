package io.hookway.gateway;

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
 * Every method of every gateway path against the scope rules: the whole matrix, and a
 * check that the matrix names every path the gateway serves.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayAccessMatrixTest {

	static final AccessMatrix MATRIX = matrix();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes.billing.upstream", () -> "http://127.0.0.1:9");
		registry.add("hookway.rate-limit.requests-per-second", () -> "10000");
	}

	static AccessMatrix matrix() {
		String task = AccessMatrix.unknown(IdKind.TASK);
		Map<String, String> ingest = new java.util.LinkedHashMap<>();
		AccessMatrix.METHODS.forEach((method) -> ingest.put(method, "tasks:write"));
		return new AccessMatrix().path("/api/{route}", "/api/billing", ingest)
			.path("/api/{route}/**", "/api/billing/invoices/1", ingest)
			.path("/v1/tasks", "/v1/tasks", Map.of("GET", "tasks:read"))
			.path("/v1/tasks/{taskId}", "/v1/tasks/" + task, Map.of("GET", "tasks:read", "DELETE", "tasks:write"))
			.path("/internal/v1/tasks/{taskId}/result", "/internal/v1/tasks/" + task + "/result",
					Map.of("POST", "tasks:complete"))
			.path("/internal/v1/events", "/internal/v1/events", Map.of("POST", "events:publish"))
			.unlisted("/v1/tasks/" + task + "/result")
			.unlisted("/internal/v1/tasks/" + task)
			.unlisted("/v1/somewhere-else")
			.unlisted("/")
			.open("/actuator/health", "/actuator/health");
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
		MATRIX.assertCovers(this.context, "/v3/api-docs", "/swagger-ui", "/webjars", "/actuator");
	}

}
