package io.hookway.portal.endpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ApiProblem.FieldError;
import io.hookway.core.webhook.EndpointHeaders;

/**
 * The rules for an endpoint's delivery settings (API.md §10): its static headers and its
 * rate limit.
 */
final class DeliverySettings {

	static final int MAX_HEADERS = 20;

	static final int MAX_HEADER_VALUE_LENGTH = 1024;

	static final int MAX_RATE_LIMIT = 10_000;

	/** RFC 9110 tchar, besides letters and digits. */
	private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

	private DeliverySettings() {
	}

	/**
	 * Throws a 422 problem naming every header and rate-limit value that breaks a rule.
	 */
	static void check(@Nullable Map<String, String> headers, @Nullable Integer rateLimit) {
		List<FieldError> errors = new ArrayList<>();
		if (headers != null) {
			errors.addAll(headerErrors(headers));
		}
		if (rateLimit != null && (rateLimit < 1 || rateLimit > MAX_RATE_LIMIT)) {
			errors.add(new FieldError("rateLimit",
					"must be between 1 and " + MAX_RATE_LIMIT + " deliveries a second, or null for no limit"));
		}
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
	}

	private static List<FieldError> headerErrors(Map<String, String> headers) {
		List<FieldError> errors = new ArrayList<>();
		if (headers.size() > MAX_HEADERS) {
			errors.add(new FieldError("headers", "may name at most " + MAX_HEADERS + " headers"));
		}
		Map<String, String> seen = new HashMap<>();
		headers.forEach((name, value) -> {
			String field = "headers." + name;
			String lower = name.toLowerCase(Locale.ROOT);
			String earlier = seen.putIfAbsent(lower, name);
			if (!isToken(name)) {
				errors.add(new FieldError(field, "is not a header name (an RFC 9110 token)"));
			}
			else if (EndpointHeaders.reserved(name)) {
				errors.add(new FieldError(field, "is set by the platform or the connection and cannot be configured"));
			}
			else if (earlier != null) {
				errors.add(new FieldError(field, "repeats " + earlier + ": header names are case-insensitive"));
			}
			if (!isValue(value)) {
				errors.add(new FieldError(field, "must be 1 to " + MAX_HEADER_VALUE_LENGTH
						+ " visible ASCII characters, with spaces only between them"));
			}
		});
		return errors;
	}

	private static boolean isToken(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Visible ASCII with inner spaces ({@code Bearer abc}); no control characters, so a
	 * value can never end a header line early.
	 */
	private static boolean isValue(String value) {
		if (value.isEmpty() || value.length() > MAX_HEADER_VALUE_LENGTH || value.charAt(0) == ' '
				|| value.charAt(value.length() - 1) == ' ') {
			return false;
		}
		return value.chars().allMatch((c) -> c >= ' ' && c <= '~');
	}

}
