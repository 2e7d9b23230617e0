package io.hookway.gateway.ratelimit;

import java.util.function.Consumer;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import org.springdoc.core.customizers.OpenApiCustomizer;

import io.hookway.core.openapi.ApiHeaders;
import io.hookway.core.openapi.DeclaredRefusals;
import io.hookway.core.openapi.OpenApiConfiguration;
import io.hookway.core.web.ProblemCode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The rate limit in the API document: the calls {@link RateLimitFilter} counts can be
 * refused with 429, and every answer to them carries {@code RateLimit} and
 * {@code RateLimit-Policy}.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitDocumentation {

	/** Whether calls to the path count against the application's rate limit. */
	static boolean limited(String path) {
		return path.startsWith("/api/") || path.startsWith("/v1/tasks");
	}

	/** Before the refusals are derived: adds 429. */
	@Bean
	@Order(0)
	OpenApiCustomizer rateLimitRefusals() {
		return (openApi) -> eachLimited(openApi,
				(operation) -> DeclaredRefusals.add(operation, ProblemCode.RATE_LIMITED));
	}

	/** Once every response is in place: the headers on each. */
	@Bean
	@Order(OpenApiConfiguration.LAST)
	OpenApiCustomizer rateLimitHeaders() {
		return (openApi) -> eachLimited(openApi, (operation) -> operation.getResponses()
			.values()
			.forEach((response) -> ApiHeaders.with(response, ApiHeaders.RATE_LIMIT, ApiHeaders.RATE_LIMIT_POLICY)));
	}

	private static void eachLimited(OpenAPI openApi, Consumer<Operation> action) {
		if (openApi.getPaths() != null) {
			openApi.getPaths().forEach((path, item) -> {
				if (limited(path)) {
					item.readOperations().forEach(action);
				}
			});
		}
	}

}
