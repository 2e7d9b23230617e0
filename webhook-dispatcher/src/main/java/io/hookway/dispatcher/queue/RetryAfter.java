package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * {@code Retry-After} from an upstream or a webhook receiver, read as RFC 9110 §10.2.3
 * writes it: delay-seconds as plain decimal digits, or an HTTP date. Anything else
 * ({@code +5}, {@code -5}, {@code 0x10}, {@code 1.5}) is ignored rather than guessed at,
 * and the schedule's own delay applies.
 */
public final class RetryAfter {

	private static final int MAX_DIGITS = 10;

	private RetryAfter() {
	}

	public static @Nullable Duration of(HttpHeaders headers) {
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		if (value == null) {
			return null;
		}
		String trimmed = value.strip();
		if (!trimmed.isEmpty() && trimmed.length() <= MAX_DIGITS
				&& trimmed.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return Duration.ofSeconds(Long.parseLong(trimmed));
		}
		try {
			Duration until = Duration.between(Instant.now(),
					ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
			return until.isNegative() ? Duration.ZERO : until;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
