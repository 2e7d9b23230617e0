package io.hookway.dispatcher.delivery;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One delivery attempt's outcome; only a 2xx counts as delivered, redirects included as
 * failures. A receiver's {@code Retry-After} is kept only with 429 and 503.
 */
record Attempt(Instant at, @Nullable Integer statusCode, int durationMs, @Nullable String error,
		@Nullable Duration retryAfter) {

	static Attempt answered(Instant started, int statusCode, @Nullable Duration retryAfter) {
		boolean honoured = statusCode == 429 || statusCode == 503;
		return new Attempt(started, statusCode, elapsed(started), null, honoured ? retryAfter : null);
	}

	static Attempt failed(Instant started, String error) {
		return new Attempt(started, null, elapsed(started), error, null);
	}

	static Attempt notSent(String reason) {
		return new Attempt(Instant.now(), null, 0, reason, null);
	}

	boolean succeeded() {
		return this.statusCode != null && this.statusCode >= 200 && this.statusCode < 300;
	}

	/** 410 Gone: the receiver says the endpoint is no more; it is disabled. */
	boolean gone() {
		return this.statusCode != null && this.statusCode == 410;
	}

	private static int elapsed(Instant started) {
		return (int) Duration.between(started, Instant.now()).toMillis();
	}

}
