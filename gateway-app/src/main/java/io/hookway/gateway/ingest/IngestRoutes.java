package io.hookway.gateway.ingest;

import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Every method of {@code /api/{route}} and below goes to the ingest handler; the API
 * document describes those calls in {@link RouteCallDocumentation}.
 */
@Configuration(proxyBeanMethods = false)
class IngestRoutes {

	@Bean
	RouterFunction<ServerResponse> ingestRoute(IngestHandler handler) {
		return RouterFunctions
			.route(RequestPredicates.path("/api/{route}").or(RequestPredicates.path("/api/{route}/**")), handler);
	}

	/** First, so that the refusals it declares are documented with the derived ones. */
	@Bean
	@Order(0)
	OpenApiCustomizer routeCallDocumentation() {
		return new RouteCallDocumentation();
	}

}
