package io.hookway.gateway.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.id.IdKind;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ProblemCode;

/**
 * A publish request as read from its body: the application, the type and the data,
 * written as compact JSON exactly once for the payload, its size and the request's hash.
 */
record Publication(UUID applicationId, String type, JsonNode data, byte[] dataJson) {

	/**
	 * Reads numbers as written (a fraction is a decimal, not a double that would change
	 * its digits) and refuses a key given twice, whose value would be a guess.
	 */
	static ObjectReader reader(JsonMapper json) {
		return json.reader()
			.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
	}

	/**
	 * The request, or a 400 for a body that is no JSON, a 422 naming each missing or
	 * mistyped field, a 413 for data over the limit.
	 */
	static Publication read(byte[] body, ObjectReader reader, JsonMapper json, long maxPayloadBytes) {
		JsonNode request;
		try {
			request = reader.readTree(body);
		}
		catch (JacksonException ex) {
			request = null;
		}
		if (request == null || request.isMissingNode()) {
			throw new ApiProblem(ProblemCode.MALFORMED_JSON, "The request body is not a valid JSON document.");
		}
		if (!request.isObject()) {
			throw ApiProblem.invalid("", "The body must be a JSON object.");
		}
		List<ApiProblem.FieldError> errors = new ArrayList<>();
		Optional<UUID> application = text(request, "applicationId", errors).flatMap((id) -> {
			Optional<UUID> parsed = IdKind.APPLICATION.parse(id);
			if (parsed.isEmpty()) {
				errors.add(new ApiProblem.FieldError("applicationId", "is not an application id (app_…)"));
			}
			return parsed;
		});
		Optional<String> type = text(request, "type", errors);
		JsonNode data = request.get("data");
		if (data == null) {
			errors.add(new ApiProblem.FieldError("data", "is required"));
		}
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
		byte[] dataJson = json.writeValueAsBytes(data);
		if (dataJson.length > maxPayloadBytes) {
			throw tooLarge(maxPayloadBytes);
		}
		return new Publication(application.orElseThrow(), type.orElseThrow(), data, dataJson);
	}

	static ApiProblem tooLarge(long maxPayloadBytes) {
		return ApiProblem.tooLarge("data",
				"data is larger than " + maxPayloadBytes + " bytes (hookway.events.max-payload-size).");
	}

	private static Optional<String> text(JsonNode request, String field, List<ApiProblem.FieldError> errors) {
		JsonNode value = request.get(field);
		if (value == null || value.isNull()) {
			errors.add(new ApiProblem.FieldError(field, "is required"));
			return Optional.empty();
		}
		if (!value.isString()) {
			errors.add(new ApiProblem.FieldError(field, "must be a string"));
			return Optional.empty();
		}
		return Optional.of(value.asString());
	}

	String dataAsString() {
		return new String(this.dataJson, StandardCharsets.UTF_8);
	}

	/**
	 * SHA-256 over what makes two publications the same: application, type and data (as
	 * compact JSON, so that spacing does not count).
	 */
	byte[] requestHash() {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(IdKind.APPLICATION.format(this.applicationId).getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(this.type.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(this.dataJson);
			return digest.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
