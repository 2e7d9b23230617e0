package io.hookway.core.openapi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import io.hookway.core.web.ProblemCode;

import org.springframework.http.HttpStatus;

/**
 * The {@code Problem} schema (RFC 9457 with the stable {@code code} and the field
 * {@code errors}) and the refusal responses built from problem codes: one response per
 * status, listing its codes, with an example of each.
 */
final class ProblemDocumentation {

	static final String PROBLEM = "Problem";

	static final String FIELD_ERROR = "FieldError";

	static final String PROBLEM_JSON = "application/problem+json";

	/** Statuses whose refusals carry {@code Retry-After}. */
	private static final Set<HttpStatus> RETRY_LATER = EnumSet.of(HttpStatus.TOO_MANY_REQUESTS,
			HttpStatus.SERVICE_UNAVAILABLE);

	private ProblemDocumentation() {
	}

	static void addSchemas(Components components) {
		// swagger's builders answer raw types: the required lists are set on the typed
		// schema
		ObjectSchema fieldError = new ObjectSchema();
		fieldError.description("One invalid field and what is wrong with it.")
			.addProperty("field",
					new StringSchema()
						.description("JSON path of the field, such as eventTypes[1]; empty for the body as a whole."))
			.addProperty("message", new StringSchema());
		fieldError.setRequired(List.of("field", "message"));
		components.addSchemas(FIELD_ERROR, fieldError);
		List<String> codes = new ArrayList<>();
		for (ProblemCode code : ProblemCode.values()) {
			codes.add(code.code());
		}
		ObjectSchema problem = new ObjectSchema();
		problem.description("RFC 9457 problem details. Clients branch on code, which is stable; detail is prose.")
			.addProperty("type", new StringSchema().example("about:blank"))
			.addProperty("title", new StringSchema())
			.addProperty("status",
					new IntegerSchema().minimum(java.math.BigDecimal.valueOf(400))
						.maximum(java.math.BigDecimal.valueOf(599)))
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema().description("The path of the refused request."))
			.addProperty("code", stringEnum(codes).description("The stable, machine-readable reason."))
			.addProperty("errors",
					new ArraySchema().items(new Schema<>().$ref(ref(FIELD_ERROR)))
						.description("The invalid fields, on validation_failed, invalid_parameter and "
								+ "payload_too_large."))
			.addProperty("limit", new IntegerSchema().description("The limit reached, on endpoint_limit_reached."));
		problem.setRequired(List.of("type", "title", "status", "detail", "instance", "code"));
		components.addSchemas(PROBLEM, problem);
	}

	/** One example body per code, referred to by the responses. */
	static void addExamples(Components components) {
		for (ProblemCode code : ProblemCode.values()) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("type", "about:blank");
			body.put("title", code.status().getReasonPhrase());
			body.put("status", code.status().value());
			body.put("detail", code.meaning());
			body.put("instance", "/v1/tasks/tsk_01jd7x3q9v6v2z7p8m4k5n6r1t");
			body.put("code", code.code());
			components.addExamples(code.code(), new Example().summary(code.code()).value(body));
		}
	}

	/** Adds one response per status of the codes, keeping responses already declared. */
	static void addRefusals(ApiResponses responses, Collection<ProblemCode> codes) {
		Map<HttpStatus, List<ProblemCode>> byStatus = new TreeMap<>();
		for (ProblemCode code : codes) {
			List<ProblemCode> same = byStatus.computeIfAbsent(code.status(), (status) -> new ArrayList<>());
			if (!same.contains(code)) {
				same.add(code);
			}
		}
		byStatus.forEach((status, listed) -> {
			String key = Integer.toString(status.value());
			if (!responses.containsKey(key)) {
				responses.addApiResponse(key, refusal(status, listed));
			}
		});
	}

	private static ApiResponse refusal(HttpStatus status, List<ProblemCode> codes) {
		listed(codes);
		StringBuilder description = new StringBuilder();
		Map<String, Example> examples = new LinkedHashMap<>();
		for (ProblemCode code : codes) {
			description.append(description.isEmpty() ? "" : " ")
				.append(code.code())
				.append(": ")
				.append(code.meaning());
			examples.put(code.code(), new Example().$ref("#/components/examples/" + code.code()));
		}
		MediaType problem = new MediaType().schema(new Schema<>().$ref(ref(PROBLEM))).examples(examples);
		ApiResponse response = new ApiResponse().description(description.toString())
			.content(new Content().addMediaType(PROBLEM_JSON, problem));
		if (RETRY_LATER.contains(status)) {
			ApiHeaders.with(response, ApiHeaders.RETRY_AFTER);
		}
		if (status == HttpStatus.UNAUTHORIZED) {
			response.addHeaderObject("WWW-Authenticate",
					new Header().description("Bearer, with error=\"invalid_token\" when a token was presented.")
						.schema(new StringSchema()));
		}
		if (status == HttpStatus.FORBIDDEN) {
			response.addHeaderObject("WWW-Authenticate",
					new Header().description("Bearer error=\"insufficient_scope\" when the scope is missing.")
						.schema(new StringSchema()));
		}
		return response;
	}

	private static void listed(List<ProblemCode> codes) {
		codes.sort(null);
	}

	static Schema<String> stringEnum(List<String> values) {
		StringSchema schema = new StringSchema();
		values.forEach(schema::addEnumItem);
		return schema;
	}

	static String ref(String schema) {
		return "#/components/schemas/" + schema;
	}

}
