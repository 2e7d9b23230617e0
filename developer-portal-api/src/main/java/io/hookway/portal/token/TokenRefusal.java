package io.hookway.portal.token;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hookway.core.ratelimit.KeyedRateLimiter;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A token request refused with an RFC 6749 §5.2 error body, which OAuth clients expect
 * rather than problem+json. Throttling answers 429 {@code slow_down} (RFC 8628's code)
 * and a saturated hashing pool 503 {@code temporarily_unavailable}, both with
 * {@code Retry-After}.
 */
final class TokenRefusal extends RuntimeException {

	private final HttpStatus status;

	private final String error;

	private final @Nullable Duration retryAfter;

	private TokenRefusal(HttpStatus status, String error, String description, @Nullable Duration retryAfter) {
		super(description, null, false, false);
		this.status = status;
		this.error = error;
		this.retryAfter = retryAfter;
	}

	static TokenRefusal slowDown(String description, Duration retryAfter) {
		return new TokenRefusal(HttpStatus.TOO_MANY_REQUESTS, "slow_down", description, retryAfter);
	}

	static TokenRefusal unavailable(Duration retryAfter) {
		return new TokenRefusal(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable",
				"The issuer is too busy checking client secrets; retry after the time in Retry-After.", retryAfter);
	}

	ResponseEntity<Map<String, Object>> toResponse() {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(this.status)
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_JSON);
		if (this.retryAfter != null) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(KeyedRateLimiter.seconds(this.retryAfter)));
		}
		return response.body(Map.of("error", this.error, "error_description", getMessage()));
	}

	static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String description,
			boolean basicChallenge) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_JSON);
		if (status == HttpStatus.UNAUTHORIZED) {
			response.header(HttpHeaders.WWW_AUTHENTICATE,
					basicChallenge ? "Basic realm=\"hookway\"" : "Bearer realm=\"hookway\"");
		}
		return response.body(Map.of("error", code, "error_description", description));
	}

}
