package io.hookway.gateway.idempotency;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ProblemCode;

import org.springframework.http.HttpHeaders;

/**
 * The {@code Idempotency-Key} header (API.md §3) and its refusals, the same for every
 * call of the gateway that takes one: route calls and published events.
 */
public final class IdempotencyKey {

	private IdempotencyKey() {
	}

	/** The call's key; null when it sent none, a 400 when it is not a valid one. */
	public static @Nullable String of(HttpHeaders headers) {
		List<String> values = headers.get("Idempotency-Key");
		if (values == null || values.isEmpty()) {
			return null;
		}
		String key = values.get(0);
		boolean visibleAscii = !key.isEmpty() && key.length() <= 255
				&& key.chars().allMatch((c) -> c >= 0x21 && c <= 0x7e);
		if (values.size() > 1 || !visibleAscii) {
			throw ApiProblem.badRequest("Idempotency-Key must be one value of 1 to 255 visible ASCII characters.");
		}
		return key;
	}

	/** 422: the key was first used with another request. */
	public static ApiProblem reused() {
		return new ApiProblem(ProblemCode.IDEMPOTENCY_KEY_REUSED,
				"This Idempotency-Key was already used with a different request.");
	}

	/** 409: the request that holds the key has not been committed yet. */
	public static ApiProblem inUse() {
		return ApiProblem.conflict(ProblemCode.IDEMPOTENCY_KEY_IN_USE,
				"A request with this Idempotency-Key is still being processed; retry shortly.");
	}

}
