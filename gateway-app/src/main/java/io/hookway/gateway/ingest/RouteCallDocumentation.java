package io.hookway.gateway.ingest;

import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import io.hookway.core.openapi.ApiHeaders;
import io.hookway.core.openapi.DeclaredRefusals;
import io.hookway.core.task.TaskStatus;
import io.hookway.core.web.ProblemCode;

/**
 * Route calls in the API document: {@code /api/{route}} and {@code /api/{route}/{path}}
 * (the rest of the path, forwarded to the upstream) for each method a route may take,
 * instead of the router function's {@code /**} pattern, which is no OpenAPI path.
 */
class RouteCallDocumentation implements OpenApiCustomizer {

	/** The methods a route can be configured to take; HEAD and OPTIONS are left out. */
	private static final List<PathItem.HttpMethod> METHODS = List.of(PathItem.HttpMethod.GET, PathItem.HttpMethod.POST,
			PathItem.HttpMethod.PUT, PathItem.HttpMethod.PATCH, PathItem.HttpMethod.DELETE);

	@Override
	public void customise(OpenAPI openApi) {
		Paths paths = (openApi.getPaths() != null) ? openApi.getPaths() : new Paths();
		paths.keySet().removeIf((path) -> path.startsWith("/api/"));
		paths.addPathItem("/api/{route}", item(false));
		paths.addPathItem("/api/{route}/{path}", item(true));
		openApi.setPaths(paths);
		ObjectSchema accepted = new ObjectSchema();
		accepted.description("The task as stored: poll statusUrl for its outcome.")
			.addProperty("taskId", new StringSchema().example("tsk_01jd7x3q9v6v2z7p8m4k5n6r1t"))
			.addProperty("status", new StringSchema()._enum(List.of(TaskStatus.ACCEPTED.name())))
			.addProperty("route", new StringSchema().example("reports"))
			.addProperty("createdAt", new StringSchema().format("date-time"))
			.addProperty("statusUrl", new StringSchema().example("/v1/tasks/tsk_01jd7x3q9v6v2z7p8m4k5n6r1t"));
		// swagger's builders answer raw types: the required list is set on the typed
		// schema
		accepted.setRequired(List.of("taskId", "status", "route", "createdAt", "statusUrl"));
		openApi.getComponents().addSchemas("AcceptedTask", accepted);
	}

	private static PathItem item(boolean withPath) {
		PathItem item = new PathItem();
		for (PathItem.HttpMethod method : METHODS) {
			item.operation(method, operation(method, withPath));
		}
		return item;
	}

	private static Operation operation(PathItem.HttpMethod method, boolean withPath) {
		String name = method.name().charAt(0) + method.name().substring(1).toLowerCase(java.util.Locale.ROOT);
		Operation operation = new Operation().operationId("callRoute" + (withPath ? "WithPath" : "") + name)
			.addTagsItem("route-calls")
			.summary(method.name() + " a route" + (withPath ? ", with a path" : ""))
			.description("Stores the call (method, path, query, headers and body) as a task of the route and "
					+ "answers 202 once it is committed; the dispatcher forwards it to the route's upstream. "
					+ "Which methods a route takes is configured (hookway.routes.<name>.methods, by default "
					+ "POST, PUT, PATCH and DELETE); any query string is forwarded as it is.")
			.addParametersItem(new PathParameter().name("route")
				.description("The route's name, as configured.")
				.schema(new StringSchema()))
			.addParametersItem(idempotencyKey());
		if (withPath) {
			operation.addParametersItem(new PathParameter().name("path")
				.description("The rest of the path, forwarded after the upstream's base URL.")
				.schema(new StringSchema()));
		}
		if (method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.DELETE) {
			operation.requestBody(new RequestBody().required(false)
				.description("Any body of any content type, forwarded as it is; gzip Content-Encoding is "
						+ "decoded and the size limit applies to the decoded body.")
				.content(new Content().addMediaType("application/json", new MediaType().schema(new Schema<>()))
					.addMediaType("application/octet-stream", new MediaType().schema(new BinarySchema()))));
		}
		ApiResponse accepted = new ApiResponse().description("The task is stored.")
			.content(new Content().addMediaType("application/json",
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/AcceptedTask"))));
		ApiHeaders.with(accepted, ApiHeaders.LOCATION, ApiHeaders.RETRY_AFTER, ApiHeaders.IDEMPOTENT_REPLAYED);
		operation.responses(new ApiResponses().addApiResponse("202", accepted));
		DeclaredRefusals.add(operation, ProblemCode.NOT_FOUND, ProblemCode.METHOD_NOT_ALLOWED, ProblemCode.BAD_REQUEST,
				ProblemCode.BODY_TOO_LARGE, ProblemCode.UNSUPPORTED_CONTENT_ENCODING,
				ProblemCode.IDEMPOTENCY_KEY_IN_USE, ProblemCode.IDEMPOTENCY_KEY_REUSED, ProblemCode.GATEWAY_BUSY,
				ProblemCode.OUTCOME_UNKNOWN);
		return operation;
	}

	static Parameter idempotencyKey() {
		return new HeaderParameter().name("Idempotency-Key")
			.description("Makes a repeat of the same request return the first task (202 with "
					+ "Idempotent-Replayed: true) instead of storing another; kept at least 24 hours.")
			.schema(new StringSchema().minLength(1).maxLength(255).pattern("^[\\x21-\\x7E]{1,255}$"));
	}

}
