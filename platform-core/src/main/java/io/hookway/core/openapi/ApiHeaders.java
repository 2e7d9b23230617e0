package io.hookway.core.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * The response headers of the contract, defined once under {@code components.headers} and
 * referred to by the responses that carry them.
 */
public final class ApiHeaders {

	public static final String LOCATION = "Location";

	public static final String RETRY_AFTER = "Retry-After";

	public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

	public static final String RATE_LIMIT = "RateLimit";

	public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";

	private ApiHeaders() {
	}

	static void addTo(Components components) {
		components
			.addHeaders(LOCATION,
					new Header().description("The path of the resource created or accepted.")
						.schema(new StringSchema().format("uri-reference")))
			.addHeaders(RETRY_AFTER,
					new Header().description("Seconds to wait before polling or retrying.")
						.schema(new IntegerSchema().minimum(java.math.BigDecimal.ZERO)))
			.addHeaders(IDEMPOTENT_REPLAYED,
					new Header()
						.description("true when the answer is the one given to an earlier request "
								+ "with the same Idempotency-Key.")
						.schema(new StringSchema()._enum(java.util.List.of("true"))))
			.addHeaders(RATE_LIMIT,
					new Header()
						.description("IETF RateLimit field: remaining calls (r) and seconds until the "
								+ "window resets (t), such as \"default\";r=99;t=1.")
						.schema(new StringSchema()))
			.addHeaders(RATE_LIMIT_POLICY,
					new Header()
						.description("IETF RateLimit-Policy field: quota (q) per window (w seconds), "
								+ "such as \"default\";q=100;w=1.")
						.schema(new StringSchema()));
	}

	/** A reference to one of the headers above. */
	public static Header ref(String name) {
		return new Header().$ref("#/components/headers/" + name);
	}

	/** Adds references to the headers to a response. */
	public static ApiResponse with(ApiResponse response, String... names) {
		for (String name : names) {
			response.addHeaderObject(name, ref(name));
		}
		return response;
	}

}
