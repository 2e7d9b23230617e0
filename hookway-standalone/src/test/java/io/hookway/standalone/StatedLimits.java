package io.hookway.standalone;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The limits an operation of the API document states, each with values just beyond it: on
 * the properties of its JSON or form body, on its query parameters and on its headers.
 */
final class StatedLimits {

	/** Values that break a pattern: the first one the pattern does not match is used. */
	private static final List<String> UNLIKE_ANY_PATTERN = List.of("not a value!", "!", "é");

	private StatedLimits() {
	}

	/**
	 * One stated limit: where ({@code body}, {@code form}, {@code query}, {@code header})
	 * and on what.
	 */
	record Limit(String in, String name, List<Object> beyond) {
	}

	@SuppressWarnings("unchecked")
	static List<Limit> of(Map<String, Object> document, Map<String, Object> operation) {
		List<Limit> limits = new ArrayList<>();
		for (Map<String, Object> parameter : (List<Map<String, Object>>) operation.getOrDefault("parameters",
				List.of())) {
			String in = (String) parameter.get("in");
			if ("query".equals(in) || "header".equals(in)) {
				add(limits, in, (String) parameter.get("name"),
						resolve(document, (Map<String, Object>) parameter.get("schema")));
			}
		}
		Map<String, Object> body = (Map<String, Object>) operation.get("requestBody");
		Map<String, Map<String, Object>> content = (body != null)
				? (Map<String, Map<String, Object>>) body.get("content") : Map.of();
		content.forEach((mediaType, media) -> {
			String in = mediaType.equals("application/json") ? "body"
					: mediaType.equals("application/x-www-form-urlencoded") ? "form" : null;
			Map<String, Object> schema = resolve(document, (Map<String, Object>) media.get("schema"));
			if (in != null && schema.get("properties") instanceof Map<?, ?> properties) {
				((Map<String, Map<String, Object>>) properties)
					.forEach((name, property) -> add(limits, in, name, resolve(document, property)));
			}
		});
		return limits;
	}

	private static void add(List<Limit> limits, String in, String name, Map<String, Object> schema) {
		List<Object> beyond = beyond(schema);
		if (!beyond.isEmpty()) {
			limits.add(new Limit(in, name, beyond));
		}
	}

	/** Values just beyond each limit the schema states. */
	@SuppressWarnings("unchecked")
	private static List<Object> beyond(Map<String, Object> schema) {
		List<Object> values = new ArrayList<>();
		if (schema.get("maxLength") instanceof Number max) {
			values.add("a".repeat(max.intValue() + 1));
		}
		if (schema.get("minLength") instanceof Number min && min.intValue() > 0) {
			values.add("");
		}
		if (schema.get("maximum") instanceof Number max) {
			values.add(max.longValue() + 1);
		}
		if (schema.get("minimum") instanceof Number min) {
			values.add(min.longValue() - 1);
		}
		if (schema.get("minItems") instanceof Number min && min.intValue() > 0) {
			values.add(List.of());
		}
		if (schema.get("pattern") instanceof String pattern) {
			Pattern compiled = Pattern.compile(pattern);
			values.add(UNLIKE_ANY_PATTERN.stream()
				.filter((value) -> !compiled.matcher(value).find())
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no value breaks " + pattern)));
		}
		if (schema.get("enum") != null) {
			values.add("not-one-of-the-values");
		}
		if ("date-time".equals(schema.get("format"))) {
			values.add("2026-11-22 10:00");
		}
		if (schema.get("items") instanceof Map<?, ?> items && items.get("enum") != null) {
			values.add(List.of("not-one-of-the-values"));
		}
		return values;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> resolve(Map<String, Object> document, Map<String, Object> schema) {
		if (schema == null) {
			return Map.of();
		}
		if (schema.get("$ref") instanceof String ref) {
			Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document.get("components"))
				.get("schemas");
			return (Map<String, Object>) schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
		}
		return schema;
	}

}
