package io.hookway.gateway.ingest;

import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springdoc.core.annotations.RouterOperation;
import org.springdoc.core.annotations.RouterOperations;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.bind.annotation.RequestMethod.DELETE;
import static org.springframework.web.bind.annotation.RequestMethod.GET;
import static org.springframework.web.bind.annotation.RequestMethod.HEAD;
import static org.springframework.web.bind.annotation.RequestMethod.OPTIONS;
import static org.springframework.web.bind.annotation.RequestMethod.PATCH;
import static org.springframework.web.bind.annotation.RequestMethod.POST;
import static org.springframework.web.bind.annotation.RequestMethod.PUT;

/** Every method of {@code /api/{route}} and below goes to the ingest handler. */
@Configuration(proxyBeanMethods = false)
class IngestRoutes {

	private static final String ACCEPT = "Stores the call as a task of the route, for its upstream";

	private static final String STORED = "The task is stored";

	@Bean
	@RouterOperations({
			@RouterOperation(path = "/api/{route}", method = { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS },
					operation = @Operation(operationId = "accept", summary = ACCEPT,
							parameters = @Parameter(in = ParameterIn.PATH, name = "route", required = true),
							responses = @ApiResponse(responseCode = "202", description = STORED,
									content = @Content(mediaType = "application/json",
											schema = @Schema(implementation = AcceptedTask.class))))),
			@RouterOperation(path = "/api/{route}/**", method = { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS },
					operation = @Operation(operationId = "acceptWithPath", summary = ACCEPT,
							parameters = @Parameter(in = ParameterIn.PATH, name = "route", required = true),
							responses = @ApiResponse(responseCode = "202", description = STORED,
									content = @Content(mediaType = "application/json",
											schema = @Schema(implementation = AcceptedTask.class))))) })
	RouterFunction<ServerResponse> ingestRoute(IngestHandler handler) {
		return RouterFunctions
			.route(RequestPredicates.path("/api/{route}").or(RequestPredicates.path("/api/{route}/**")), handler);
	}

	/** The 202's body as {@link IngestHandler} writes it, for the API document. */
	record AcceptedTask(String taskId, String status, String route, Instant createdAt, String statusUrl) {
	}

}
